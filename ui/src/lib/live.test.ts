import { describe, expect, it } from "vitest";
import { concerns, noticeFor } from "./live";
import type { LiveEvent } from "./generated/LiveEvent";
import type { Tab } from "./generated/Tab";

const account = { id: "acme-id", address: "acme", name: "Acme" };
const tab = (account_id: string, muted = false): Tab => ({
  server: "local",
  server_label: "This computer",
  account_id,
  address: account_id,
  name: account_id,
  login: "anna@example.com",
  open: true,
  muted,
});
const assigned: LiveEvent = {
  server: "local",
  account_ids: ["acme-id", "globex-id"],
  event: { kind: "task_assigned", account, task_id: "t1", title: "Send the report" },
};
const signedIn: LiveEvent = {
  server: "local",
  account_ids: ["acme-id", "globex-id"],
  event: { kind: "signed_in", session_id: "s1", device_name: "Phone" },
};
const away = { front: null, focused: false };

describe("concerns", () => {
  it("a change inside an account concerns that account's tab only", () => {
    expect(concerns(assigned, tab("acme-id"))).toBe(true);
    expect(concerns(assigned, tab("globex-id"))).toBe(false);
    expect(concerns({ ...assigned, server: "https://id.example.com" }, tab("acme-id"))).toBe(false);
  });
  it("a change of the profile concerns every tab of its stream", () => {
    expect(concerns(signedIn, tab("globex-id"))).toBe(true);
    expect(concerns(signedIn, tab("initech-id"))).toBe(false);
  });
});

describe("noticeFor", () => {
  it("tells of a task assigned in an account I am not looking at", () => {
    expect(noticeFor(assigned, [tab("acme-id")], away)).toEqual({
      title: "New task in Acme",
      body: "Send the report",
      target: "tab:local#acme-id",
    });
    const lookingElsewhere = { front: tab("globex-id"), focused: true };
    expect(noticeFor(assigned, [tab("acme-id")], lookingElsewhere)).not.toBeNull();
  });
  it("stays quiet for a muted account and for the tab in front of me", () => {
    expect(noticeFor(assigned, [tab("acme-id", true)], away)).toBeNull();
    expect(noticeFor(assigned, [tab("acme-id")], { front: tab("acme-id"), focused: true })).toBeNull();
    // The tab is in front, but the window is not what I look at: tell me.
    expect(noticeFor(assigned, [tab("acme-id")], { front: tab("acme-id"), focused: false })).not.toBeNull();
  });
  it("always tells of a sign-in from another device, muted or not", () => {
    const notice = noticeFor(signedIn, [tab("acme-id", true), tab("globex-id", true)], away);
    expect(notice?.title).toBe("New sign-in to your profile");
    expect(notice?.body).toContain("Phone");
    expect(notice?.target).toBe("profile");
  });
  it("tells of an invitation, and not of dismissals or revoked sessions (the tabs show those)", () => {
    const invited: LiveEvent = { ...assigned, event: { kind: "invited", account } };
    expect(noticeFor(invited, [], away)?.title).toBe("Invitation to Acme");
    const dismissed: LiveEvent = { ...assigned, event: { kind: "dismissed", account } };
    expect(noticeFor(dismissed, [tab("acme-id")], away)).toBeNull();
    const revoked: LiveEvent = { ...assigned, event: { kind: "sessions_revoked", session_ids: ["s1"] } };
    expect(noticeFor(revoked, [tab("acme-id")], away)).toBeNull();
  });
});
