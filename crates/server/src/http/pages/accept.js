// Signs in for this one step only: the session is ended again whatever the answer.
document.getElementById("f").addEventListener("submit", async (event) => {
  event.preventDefault();
  const tokens = await signIn("Invitation page");
  if (!tokens) return;
  const accepted = await fetch("/api/v1/invitations/accept", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "accept-language": language,
      authorization: "Bearer " + tokens.access_token,
    },
    body: JSON.stringify({ token }),
  });
  post("/api/v1/auth/logout", { refresh_token: tokens.refresh_token });
  if (!accepted.ok) return problem(accepted);
  say(t("page-accept-done"));
  event.target.remove();
});
