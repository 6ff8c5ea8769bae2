// The window's state: its pages (account tabs, new-tab pages, the profile page, the local
// inbox), which one is in front, and the connected accounts. Account tabs mirror the shell's
// list of connected accounts; closing one disconnects it (it stays connected).
import { SvelteMap, SvelteSet } from "svelte/reactivity";
import * as ipc from "./ipc";
import { language } from "./language.svelte";
import { concerns, noticeFor } from "./live";
import { m } from "./paraglide/messages";
import type { AppInfo } from "./generated/AppInfo";
import type { LiveEvent } from "./generated/LiveEvent";
import type { LiveStatus } from "./generated/LiveStatus";
import type { OpenedLink } from "./generated/OpenedLink";
import type { Tab } from "./generated/Tab";
import type { TabRef } from "./generated/TabRef";
import type { UiError } from "./generated/UiError";

export type Page =
  | {
      kind: "account";
      key: string;
      tab: Tab;
      problem: UiError | null;
      badge: number;
      /** Counts the live changes seen for the account: its views load again on each. */
      revision: number;
    }
  | { kind: "new"; key: string; link?: OpenedLink }
  | { kind: "profile"; key: string; from: TabRef }
  /** Another computer's QR sign-in to approve from here (a `lanyard://qr` link). */
  | { kind: "approve"; key: string; server: string; id: string }
  | { kind: "inbox"; key: string };

let counter = 0;
const fresh = (prefix: string) => `${prefix}-${++counter}`;
export const tabKey = (tab: TabRef) => `${tab.server}#${tab.account_id}`;
/** Whose tab it is: the tabs of one login on one server are one profile's (a single sign-on
 * tab, which has no login, stands for itself). */
export const profileKey = (tab: Tab | TabRef) =>
  "login" in tab && tab.login !== SSO_LOGIN ? `${tab.server}#login:${tab.login}` : tabKey(tab);

// Two values of a tab the shell words in English, said in the UI's language: the built-in
// server's label, and the login of a single sign-on tab (which has no login of its own).
export const LOCAL_SERVER = "local";
export const SSO_LOGIN = "single sign-on";
export const serverLabel = (tab: Tab) => (tab.server === LOCAL_SERVER ? m.this_computer() : tab.server_label);
export const loginLabel = (tab: Tab) => (tab.login === SSO_LOGIN ? m.sso_login() : tab.login);

class AppState {
  info = $state<AppInfo | null>(null);
  pages = $state<Page[]>([]);
  active = $state(0);
  /** Every connected account, open or not. */
  connected = $state<Tab[]>([]);
  startError = $state<UiError | null>(null);
  /** Each profile's photo by `profileKey` (null: none), for the avatar and the tabs: loaded
   * when one of the profile's tabs comes in front, and set again by the profile page. */
  readonly photos = new SvelteMap<string, string | null>();
  /** The tabs (`tabKey`) whose changes arrive live; the others' badges are polled. */
  readonly live = new SvelteSet<string>();
  /** Invitations waiting for each profile of the open tabs (`profileKey`), for the tray. */
  readonly invitations = new SvelteMap<string, number>();
  /** Settled once the restored tabs are in place (links wait for it). */
  private markReady = () => {};
  private readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  photoOf(tab: Tab | null): string | null {
    return (tab && this.photos.get(profileKey(tab))) ?? null;
  }

  /** Records the photo of the profile that tab `from` belongs to. */
  setPhoto(from: TabRef, url: string | null) {
    const tab = this.connected.find((t) => tabKey(t) === tabKey(from));
    this.photos.set(profileKey(tab ?? from), url);
  }

  get current(): Page | undefined {
    return this.pages[this.active];
  }

  /** On start: the tabs that were open come back, signed in silently where possible. */
  async start() {
    ipc.onSessionEnded((tab, problem) => this.update(tabKey(tab), { problem }));
    void ipc.onLive((event) => this.changed(event));
    void ipc.onLiveStatus((status) => this.streaming(status));
    void ipc.onOpenPlace((target) => void this.openTarget(target));
    // The shell learns the UI's language first, so the server's first refusals come in it.
    await language.told;
    try {
      this.info = await ipc.appInfo();
      this.connected = this.info.tabs;
      const restored = await ipc.restore();
      this.pages = restored.map(({ tab, problem }) => ({
        kind: "account",
        key: tabKey(tab),
        tab,
        problem,
        badge: 0,
        revision: 0,
      }));
      if (this.pages.length === 0) this.openNew();
      this.active = 0;
      void this.refreshBadges();
    } catch (e) {
      this.startError = ipc.problem(e);
    }
    this.markReady();
    // The link the app was started with, if any: it takes the place of the empty sign-in page
    // a start without tabs shows.
    void this.openLinks(true);
  }

  async refreshList() {
    const info = await ipc.appInfo();
    this.info = info;
    this.connected = info.tabs;
  }

  select(index: number) {
    if (index >= 0 && index < this.pages.length) this.active = index;
  }

  private show(page: Page) {
    const at = this.pages.findIndex((p) => p.key === page.key);
    if (at >= 0) {
      this.active = at;
      return;
    }
    this.pages.push(page);
    this.active = this.pages.length - 1;
  }

  /** A new sign-in page; `link` fills it in (a `lanyard://` link that was opened). */
  openNew(link?: OpenedLink) {
    this.show({ kind: "new", key: fresh("new"), link });
  }

  openInbox() {
    this.show({ kind: "inbox", key: "inbox" });
  }

  openProfile(from: TabRef) {
    this.show({ kind: "profile", key: "profile", from: ipc.ref(from) });
  }

  /** A sign-in finished on the page at `index`: the account's tab takes its place. */
  async signedIn(tab: Tab, index = this.active) {
    const page: Page = { kind: "account", key: tabKey(tab), tab, problem: null, badge: 0, revision: 0 };
    const existing = this.pages.findIndex((p) => p.key === page.key);
    if (existing >= 0 && existing !== index) {
      this.pages[existing] = page;
      this.close(index, false);
      this.active = this.pages.findIndex((p) => p.key === page.key);
    } else {
      this.pages[index] = page;
      this.active = index;
    }
    await this.refreshList();
    void this.refreshBadge(page.key);
  }

  /** Reopens a connected account without a sign-in. */
  async reopen(tab: Tab) {
    const page: Page = { kind: "account", key: tabKey(tab), tab, problem: null, badge: 0, revision: 0 };
    try {
      await ipc.reopen(tab);
    } catch (e) {
      page.problem = ipc.problem(e);
    }
    const index = this.current?.kind === "new" ? this.active : this.pages.length;
    this.pages.splice(index, this.current?.kind === "new" ? 1 : 0, page);
    this.active = index;
    await this.refreshList();
    void this.refreshBadge(page.key);
  }

  /** Closes a page; an account's tab is disconnected (it stays under "Connected accounts"). */
  async close(index: number, disconnect = true) {
    const page = this.pages[index];
    if (!page) return;
    if (disconnect && page.kind === "account") {
      await ipc.disconnect(page.tab).catch(() => undefined);
    }
    this.pages.splice(index, 1);
    if (this.pages.length === 0) this.openNew();
    this.active = Math.min(this.active >= index ? Math.max(this.active - 1, 0) : this.active, this.pages.length - 1);
    if (page.kind === "account") await this.refreshList();
  }

  /** Deletes a connected account: signed out on the server, erased from the keyring. */
  async remove(tab: TabRef) {
    await ipc.deleteAccount(tab);
    const index = this.pages.findIndex((p) => p.key === tabKey(tab));
    if (index >= 0) await this.close(index, false);
    await this.refreshList();
  }

  /** A tab's account was renamed or its session ended: update what the strip shows. */
  update(key: string, change: Partial<{ tab: Tab; problem: UiError | null }>) {
    const page = this.pages.find((p) => p.key === key);
    if (page?.kind === "account") Object.assign(page, change);
  }

  async refreshBadge(key: string) {
    const page = this.pages.find((p) => p.key === key);
    if (page?.kind !== "account" || page.problem) return;
    try {
      page.badge = await ipc.badge(page.tab);
    } catch (e) {
      const problem = ipc.problem(e);
      if (problem.code === "sign_in_required") page.problem = problem;
    }
  }

  async refreshBadges() {
    await Promise.all(this.pages.map((p) => this.refreshBadge(p.key)));
  }

  /** Counts again the invitations waiting for the profiles of the open tabs. */
  async refreshInvitations() {
    const profiles = new Map<string, Tab>();
    for (const page of this.pages) {
      if (page.kind === "account" && !page.problem && page.tab.login !== SSO_LOGIN) profiles.set(profileKey(page.tab), page.tab);
    }
    for (const key of [...this.invitations.keys()]) if (!profiles.has(key)) this.invitations.delete(key);
    await Promise.all(
      [...profiles].map(async ([key, tab]) => {
        const accounts = await ipc.myAccounts(tab).catch(() => null);
        if (accounts) this.invitations.set(key, accounts.filter((a) => a.status === "invited").length);
      }),
    );
  }

  /** The fallback for tabs without a live stream: their badges, asked again. */
  async pollBadges() {
    await Promise.all(this.pages.filter((p) => !this.live.has(p.key)).map((p) => this.refreshBadge(p.key)));
  }

  /** A server pushed a change: the tabs it concerns load again (a tab whose session it ended
   * learns so and asks for a sign-in), and a notification tells of it when one is due. */
  changed(event: LiveEvent) {
    for (const page of this.pages) {
      if (page.kind !== "account" || !concerns(event, page.tab)) continue;
      page.revision += 1;
      void this.refreshBadge(page.key);
    }
    if (event.event.kind === "invited") void this.refreshInvitations();
    const front = this.current?.kind === "account" ? this.current.tab : null;
    const notice = noticeFor(event, this.connected, { front, focused: document.hasFocus() });
    if (notice) ipc.notify(notice.title, notice.body, notice.target).catch(() => undefined);
  }

  /** Opens the place a clicked notification or the tray's menu names: an account's tab
   * (reopened if it was closed), the profile page (its sessions), a sign-in page (its
   * invitations), or the sign-in pages `lanyard://` links ask for (`links`). */
  async openTarget(target: string) {
    if (target === "new") return this.openNew();
    if (target === "links") return this.openLinks();
    const from = this.pages.find((p) => p.kind === "account" && !p.problem);
    if (target === "profile") {
      if (from?.kind === "account") this.openProfile(from.tab);
      return;
    }
    const key = target.replace(/^tab:/, "");
    const open = this.pages.findIndex((p) => p.key === key);
    if (open >= 0) return this.select(open);
    const closed = this.connected.find((t) => tabKey(t) === key);
    if (closed) await this.reopen(closed);
  }

  /** Each `lanyard://` link that arrived opens a sign-in page filled in from it. */
  async openLinks(atStart = false) {
    await this.ready;
    const links = await ipc.takeLinks().catch(() => []);
    const only = this.pages.length === 1 ? this.pages[0] : null;
    if (atStart && links.length > 0 && only?.kind === "new" && !only.link) this.pages = [];
    for (const link of links) {
      if (link.kind === "qr") this.show({ kind: "approve", key: `approve-${link.id}`, server: link.server, id: link.id });
      else this.openNew(link);
    }
  }

  streaming(status: LiveStatus) {
    for (const account_id of status.account_ids) {
      const key = tabKey({ server: status.server, account_id });
      if (status.live) this.live.add(key);
      else this.live.delete(key);
    }
  }

  /** Mutes or unmutes an account's notifications (the tab's "⋯" menu). */
  async setMuted(tab: TabRef, muted: boolean) {
    const updated = await ipc.setMuted(tab, muted);
    this.update(tabKey(updated), { tab: updated });
    await this.refreshList();
  }
}

export const app = new AppState();
