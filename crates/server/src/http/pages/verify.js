// Confirming is a choice, never a side effect of opening the link: a person who did not
// register must not hand their address to whoever did.
function settle(decline, done) {
  document.getElementById("choice").hidden = true;
  say("Sending…");
  post("/api/v1/auth/verify-email", { token, decline }).then((ok) => ok && say(done));
}
document.getElementById("yes").onclick = () =>
  settle(false, "Your email is confirmed. You can sign in now.");
document.getElementById("no").onclick = () =>
  settle(true, "Thank you. The address was taken off that profile; nobody signs in with it.");
