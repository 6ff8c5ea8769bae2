// Approving a computer's QR sign-in from a phone: sign in here once (kept for this tab only),
// see what the server saw of the computer, pick the account and the number it shows.
const id = location.pathname.split("/").pop();
let access = sessionStorage.getItem("lanyard_access");
const auth = () => ({ authorization: "Bearer " + access, "accept-language": language });
const ask = document.getElementById("ask");
const pick = document.getElementById("account");

async function show() {
  const response = await fetch("/api/v1/qr/" + id, { headers: auth() });
  if (response.status === 401) {
    document.getElementById("f").hidden = false;
    return say(t("page-qr-sign-in-first"));
  }
  if (!response.ok) return problem(response);
  const request = await response.json();
  ask.hidden = false;
  say("");
  const time = new Date(request.created_at).toLocaleTimeString(language);
  const seen = { device: request.device_name, platform: request.platform, ip: request.ip, time };
  document.getElementById("who").textContent = t(request.platform ? "page-qr-who-platform" : "page-qr-who", seen);
  const accounts = await (await fetch("/api/v1/me/accounts", { headers: auth() })).json();
  const active = accounts.filter((a) => a.status === "active");
  for (const account of active) {
    const option = document.createElement("option");
    option.value = account.id;
    option.textContent = `${account.name} (${account.address})`;
    pick.append(option);
  }
  const choose = document.getElementById("choose");
  const buttons = request.choices.map((number) => {
    const button = document.createElement("button");
    button.textContent = number;
    button.onclick = () => approve(request, number);
    document.getElementById("choices").append(button);
    return button;
  });
  if (request.needs_account) {
    // The computer asks for one account's tab: the choice comes first, and is made for the
    // person when there is only one.
    pick.firstElementChild.remove();
    if (active.length === 0) {
      document.getElementById("which").hidden = true;
      buttons.forEach((button) => (button.disabled = true));
      return say(t("page-qr-no-account"), true);
    }
    if (active.length > 1) {
      pick.prepend(new Option(t("page-qr-choose"), "", true, true));
      pick.firstElementChild.disabled = true;
    }
    const chosen = () => {
      buttons.forEach((button) => (button.disabled = !pick.value));
      choose.textContent = pick.value ? "" : t("page-qr-choose-first");
    };
    pick.onchange = chosen;
    chosen();
  }
}

async function approve(request, number) {
  const account = pick.value || undefined;
  if (request.needs_account && !account) {
    return say(t("page-qr-choose-before"), true);
  }
  ask.hidden = true;
  const approved = await post(`/api/v1/qr/${id}/approve`, { number, account }, auth());
  if (approved) say(t("page-qr-approved"));
}

document.getElementById("deny").onclick = async () => {
  await post(`/api/v1/qr/${id}/deny`, {}, auth());
  ask.hidden = true;
  say(t("page-qr-denied"));
};

document.getElementById("f").addEventListener("submit", async (event) => {
  event.preventDefault();
  const tokens = await signIn("Phone (QR approval)");
  if (!tokens) return;
  access = tokens.access_token;
  sessionStorage.setItem("lanyard_access", access);
  event.target.hidden = true;
  show();
});

show();
