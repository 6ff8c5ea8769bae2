// The tray icon's count and menu: open tasks assigned to the person (the badges of the
// account tabs) plus the invitations waiting for the profiles of those tabs, and each
// connected account (a click opens its tab).
import { m } from "./paraglide/messages";
import { keyOf } from "./live";
import type { Tab } from "./generated/Tab";
import type { TrayView } from "./generated/TrayView";

export function trayView(badges: number[], invitations: Iterable<number>, connected: Tab[]): TrayView {
  let total = badges.reduce((sum, badge) => sum + badge, 0);
  for (const waiting of invitations) total += waiting;
  return {
    total,
    tooltip: total > 0 ? m.tray_total({ count: total }) : "Lanyard",
    show: m.tray_show(),
    quit: m.tray_quit(),
    accounts: connected.map((tab) => ({
      label: tab.name && tab.name !== tab.address ? `${tab.name} (${tab.address})` : tab.address,
      place: `tab:${keyOf(tab.server, tab.account_id)}`,
    })),
  };
}
