// Live changes pushed by the servers (the shell keeps one stream per server and profile):
// which tabs a change concerns, and whether it is worth a notification and in what words.
import { m } from "./paraglide/messages";
import type { LiveEvent } from "./generated/LiveEvent";
import type { Tab } from "./generated/Tab";
import type { TabRef } from "./generated/TabRef";

/** A notification: its words, and the place a click on it opens (`tab:` and a tab's key, or
 * `profile` for its sessions, or `new` for the sign-in page that lists invitations). */
export type Notice = { title: string; body: string; target: string };

/** The key of an account's tab (as `tabKey` makes it). */
export const keyOf = (server: string, accountId: string) => `${server}#${accountId}`;

const same = (a: TabRef, server: string, accountId: string) => a.server === server && a.account_id === accountId;

/** Whether `event` concerns the account of `tab`: one that happened in it, or one of the
 * profile (sessions, sign-ins, invitations) for every tab its stream serves. */
export function concerns(event: LiveEvent, tab: TabRef): boolean {
  const inner = event.event;
  if ("account" in inner && inner.kind !== "invited") return same(tab, event.server, inner.account.id);
  return tab.server === event.server && event.account_ids.includes(tab.account_id);
}

/** What the person is looking at: the tab in front, if the window has the focus. */
export type Looking = { front: TabRef | null; focused: boolean };

/** The notification `event` deserves, or null. A task assigned to me tells me, unless its
 * account is muted or its tab is the one I am looking at; an invitation tells me; a sign-in
 * from another device always tells me (it may not be me: muting an account does not hide
 * it). The rest only updates the tabs. */
export function noticeFor(event: LiveEvent, connected: Tab[], looking: Looking): Notice | null {
  const inner = event.event;
  switch (inner.kind) {
    case "task_assigned": {
      const tab = connected.find((t) => same(t, event.server, inner.account.id));
      if (tab?.muted) return null;
      if (looking.focused && looking.front && same(looking.front, event.server, inner.account.id)) return null;
      return {
        title: m.notify_task_title({ account: inner.account.name || inner.account.address }),
        body: inner.title,
        target: `tab:${keyOf(event.server, inner.account.id)}`,
      };
    }
    case "invited":
      return {
        title: m.notify_invited_title({ account: inner.account.name || inner.account.address }),
        body: m.notify_invited_body(),
        target: "new",
      };
    case "signed_in":
      return { title: m.notify_signed_in_title(), body: m.notify_signed_in_body({ device: inner.device_name }), target: "profile" };
    default:
      return null;
  }
}
