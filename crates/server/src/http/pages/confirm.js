say(t("page-confirm-working"));
post("/api/v1/me/email/confirm", { token }).then(
  (ok) => ok && say(t("page-confirm-done")),
);
