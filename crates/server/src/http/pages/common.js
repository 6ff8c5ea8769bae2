// Shared by every page: the token of the mailed link, the status line, and posting to the API.
const token = new URLSearchParams(location.search).get("token") || "";
const status = document.getElementById("status");

function say(text, bad) {
  status.textContent = text;
  status.className = bad ? "error" : "";
}

async function problem(response) {
  const body = await response.json().catch(() => ({ detail: "Something went wrong" }));
  say(body.detail, true);
}

async function post(path, body, headers = {}) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
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
