document.getElementById("f").addEventListener("submit", async (event) => {
  event.preventDefault();
  const first = document.getElementById("p1").value;
  const second = document.getElementById("p2").value;
  if (first !== second) return say(t("page-reset-differ"), true);
  if (await post("/api/v1/auth/password-reset", { token, new_password: first })) {
    say(t("page-reset-done"));
    event.target.remove();
  }
});
