// "Still can't sign in?": the checklist of the help pages (Caps Lock, keyboard layout, the
// account's address, a second profile made by a social sign-in, the password, not invited or
// dismissed), ordered by what the last refusal points at, each step with its next action.
import { otherLayout, parseAddress, validAddress } from "./slips";

/** What the form knows when the person asks for help. */
export interface Situation {
  /** The code of the last refusal, if any. */
  code: string | null;
  capsLock: boolean;
  login: string;
  /** The account's address as typed; null on forms without one. */
  address: string | null;
  /** Whether the server offers social sign-ins (so a second profile may exist). */
  social: boolean;
}

/** What a step offers to do about it. */
export type Action = "use-layout" | "fix-address" | "forgot" | "change-user" | "open-inbox" | null;

export interface Step {
  id: "caps" | "layout" | "address" | "social" | "password" | "unverified" | "not-bound" | "wait" | "administrator";
  text: string;
  action: Action;
}

export function stuckChecklist(s: Situation): Step[] {
  const steps: Step[] = [];
  const fixed = otherLayout(s.login);
  const address = s.address === null ? null : parseAddress(s.address).address;
  const account = address && validAddress(address) ? address : "the account";

  if (s.code === "rate_limited") {
    steps.push({ id: "wait", text: "Too many failed attempts from here: wait a minute before the next one.", action: null });
  }
  if (s.code === "unverified") {
    steps.push({
      id: "unverified",
      text: "Your login is not verified yet: follow the link in the message sent to it, then sign in again.",
      action: "open-inbox",
    });
  }
  if (s.capsLock) {
    steps.push({ id: "caps", text: "Caps Lock is on, and passwords tell capitals apart: turn it off and type the password again.", action: null });
  }
  if (fixed) {
    steps.push({ id: "layout", text: `Your login looks typed in another keyboard layout; did you mean ${fixed}?`, action: "use-layout" });
  }
  if (address !== null && !validAddress(address)) {
    steps.push({
      id: "address",
      text: "Check the account's address: 3–40 lower-case letters, digits and hyphens, as in the account's link.",
      action: "fix-address",
    });
  }
  const notBound: Step = {
    id: "not-bound",
    text: `Your login may not be bound to ${account}: you may not be invited yet, the invitation may have gone to another address of yours, or you were dismissed. An administrator of ${account} sees which login your employee record has.`,
    action: "change-user",
  };
  const social: Step = {
    id: "social",
    text: "Did you ever sign in with a social network's button? That made a separate profile with its own login, even with the same email: sign in the same way again, or connect it on your profile page.",
    action: null,
  };
  const password: Step = { id: "password", text: "Forgot the password? Set a new one with a link sent to your email.", action: "forgot" };
  // A refusal of access is about the login's binding; a wrong password about the password.
  if (s.code === "no_access" || s.code === "not_invited") steps.push(notBound);
  if (s.social) steps.push(social);
  steps.push(password);
  if (s.code !== "no_access" && s.code !== "not_invited" && s.address !== null) steps.push(notBound);
  steps.push({
    id: "administrator",
    text: `Still stuck? The administrators of ${account} can check your employee record and invite you again.`,
    action: null,
  });
  return steps;
}
