import { describe, expect, it } from "vitest";
import { trayView } from "./tray";
import type { Tab } from "./generated/Tab";

const tab = (name: string, address: string): Tab => ({
  server: "local",
  server_label: "This computer",
  account_id: `id-${address}`,
  address,
  name,
  login: "anna@example.com",
  open: true,
  muted: false,
});

describe("the tray", () => {
  it("counts every tab's open tasks and every waiting invitation", () => {
    const view = trayView([2, 0, 1], [1, 0], [tab("Acme", "acme")]);
    expect(view.total).toBe(4);
    expect(view.tooltip).toBe("4 open tasks and invitations");
  });

  it("says just its name when nothing is open", () => {
    const view = trayView([0], [], []);
    expect(view.total).toBe(0);
    expect(view.tooltip).toBe("Lanyard");
  });

  it("lists each connected account with the place that opens its tab", () => {
    const view = trayView([], [], [tab("Acme", "acme"), tab("globex", "globex")]);
    expect(view.accounts).toEqual([
      { label: "Acme (acme)", place: "tab:local#id-acme" },
      { label: "globex", place: "tab:local#id-globex" },
    ]);
  });
});
