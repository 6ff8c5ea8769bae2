// Confirming is a choice, never a side effect of opening the link: a person who did not
// register must not hand their address to whoever did.
function settle(decline, done) {
  document.getElementById("choice").hidden = true;
  say(t("page-sending"));
  post("/api/v1/auth/verify-email", { token, decline }).then((ok) => ok && say(done));
}
document.getElementById("yes").onclick = () =>
  settle(false, t("page-verify-done"));
document.getElementById("no").onclick = () =>
  settle(true, t("page-verify-declined"));
