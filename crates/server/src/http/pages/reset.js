document.getElementById("f").addEventListener("submit", async (event) => {
  event.preventDefault();
  const first = document.getElementById("p1").value;
  const second = document.getElementById("p2").value;
  if (first !== second) return say("The two passwords differ.", true);
  if (await post("/api/v1/auth/password-reset", { token, new_password: first })) {
    say("Your password is changed. Every session was signed out; sign in again.");
    event.target.remove();
  }
});
