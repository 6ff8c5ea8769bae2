say("Confirming…");
post("/api/v1/me/email/confirm", { token }).then(
  (ok) => ok && say("Done: sign in with your new email from now on."),
);
