// Shared by every page: the token of the mailed link, the status line, the page's texts in
// its language, and posting to the API (whose answers then speak that language too).
const token = new URLSearchParams(location.search).get("token") || "";
const status = document.getElementById("status");
const language = document.documentElement.lang;
const messages = JSON.parse(document.getElementById("messages").textContent);

// The page's text `id`, with each { $name } the server left in it filled from `args`.
function t(id, args = {}) {
  return messages[id].replace(/\{\$(\w+)\}/g, (_, name) => args[name]);
}

function say(text, bad) {
  status.textContent = text;
  status.className = bad ? "error" : "";
}

async function problem(response) {
  const body = await response.json().catch(() => ({ detail: t("page-something-wrong") }));
  say(body.detail, true);
}

async function post(path, body, headers = {}) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", "accept-language": language, ...headers },
    body: JSON.stringify(body),
  });
  if (response.ok) return response;
  await problem(response);
  return null;
}

// Signs in with the login form's values; the tokens, or null after saying why not.
async function signIn(deviceName) {
  const response = await post("/api/v1/auth/login", {
    login: document.getElementById("login").value,
    password: document.getElementById("pw").value,
    device_name: deviceName,
  });
  return response && response.json();
}

// "Open in Lanyard": the same step in the desktop app (a `lanyard://` link naming this server,
// and the invitation's token, or the QR request's id), where the app is installed.
const openApp = document.getElementById("open-app");
if (openApp) {
  const link = new URL("lanyard://" + openApp.dataset.link);
  link.searchParams.set("server", location.origin);
  if (openApp.dataset.link === "invitation") link.searchParams.set("token", token);
  if (openApp.dataset.link === "qr") link.searchParams.set("id", location.pathname.split("/").pop());
  openApp.href = link.href;
}
