// What a refusal says to the person, in the UI's language. The app's own refusals (AppCode)
// are worded here, by code: the shell's `message` is English, written for its log. The
// server's are said in its own words (`message`, the problem's detail), which the server
// writes in the language the shell asked for — except the few this UI words itself, next to
// the step it offers (ProblemNote).
import { m } from "./paraglide/messages";
import type { AppCode } from "./generated/AppCode";
import type { UiError } from "./generated/UiError";

const APP: Record<AppCode, (problem: UiError) => string> = {
  // A server's code this version does not know: the message is the server's own detail.
  refused: (problem) => problem.message,
  server_error: () => m.problem_server_error(),
  unreachable: () => m.problem_unreachable(),
  invalid_server: () => m.problem_invalid_server(),
  insecure_server: () => m.problem_insecure_server(),
  sign_in_required: () => m.problem_sign_in_required(),
  not_connected: () => m.problem_not_connected(),
  no_account: () => m.problem_no_account(),
  no_local_server: () => m.problem_no_local_server(),
  not_local: () => m.problem_not_local(),
  no_network: () => m.problem_no_network(),
  not_started: () => m.problem_not_started(),
  storage: () => m.problem_storage(),
  qr_draw: () => m.problem_qr_draw(),
  browser: () => m.problem_browser(),
  browser_timeout: () => m.problem_browser_timeout(),
  browser_sign_in: () => m.problem_browser_sign_in(),
  window: () => m.problem_window(),
  notification: () => m.problem_notification(),
  autostart: () => m.problem_autostart(),
  link_gone: () => m.problem_link_gone(),
  update: (problem) => m.problem_update({ reason: problem.message }),
  update_signature: () => m.problem_update_signature(),
};

const isAppCode = (code: string): code is AppCode => Object.prototype.hasOwnProperty.call(APP, code);

/** The sentence that says `problem`. */
export function problemText(problem: UiError): string {
  switch (problem.code) {
    case "invalid_credentials":
      return m.problem_invalid_credentials();
    case "unverified":
      return m.problem_unverified();
    case "rate_limited":
      return m.problem_rate_limited({ seconds: problem.retry_after ?? 60 });
  }
  return isAppCode(problem.code) ? APP[problem.code](problem) : problem.message;
}
