// "Still can't sign in?": the checklist of the help pages (Caps Lock, keyboard layout, the
// account's address, a second profile made by a social sign-in, the password, not invited or
// dismissed), ordered by what the last refusal points at, each step with its next action. The
// texts are in the UI's language at the time of the call.
import { otherLayout, parseAddress, validAddress } from "./slips";
import { m } from "./paraglide/messages";

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
  // The account by its address when that is a valid one; "the account" otherwise.
  const account = address && validAddress(address) ? address : null;

  if (s.code === "rate_limited") {
    steps.push({ id: "wait", text: m.stuck_wait(), action: null });
  }
  if (s.code === "unverified") {
    steps.push({
      id: "unverified",
      text: m.stuck_unverified(),
      action: "open-inbox",
    });
  }
  if (s.capsLock) {
    steps.push({ id: "caps", text: m.stuck_caps(), action: null });
  }
  if (fixed) {
    steps.push({ id: "layout", text: m.stuck_layout({ login: fixed }), action: "use-layout" });
  }
  if (address !== null && !validAddress(address)) {
    steps.push({
      id: "address",
      text: m.stuck_address(),
      action: "fix-address",
    });
  }
  const notBound: Step = {
    id: "not-bound",
    text: account ? m.stuck_not_bound_to({ account }) : m.stuck_not_bound(),
    action: "change-user",
  };
  const social: Step = {
    id: "social",
    text: m.stuck_social(),
    action: null,
  };
  const password: Step = { id: "password", text: m.stuck_password(), action: "forgot" };
  // A refusal of access is about the login's binding; a wrong password about the password.
  if (s.code === "no_access" || s.code === "not_invited") steps.push(notBound);
  if (s.social) steps.push(social);
  steps.push(password);
  if (s.code !== "no_access" && s.code !== "not_invited" && s.address !== null) steps.push(notBound);
  steps.push({
    id: "administrator",
    text: account ? m.stuck_administrators_of({ account }) : m.stuck_administrators(),
    action: null,
  });
  return steps;
}
