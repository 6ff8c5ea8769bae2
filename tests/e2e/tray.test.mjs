// The tray, as a person lives with it: the icon registers with the desktop's tray (a
// StatusNotifierWatcher the test runs on its D-Bus session, as a panel does) and shows the
// total of open tasks and invitations; its menu lists each connected account (a click opens
// the tab), Show and Quit. Closing the window leaves Lanyard running there (on by default), a
// second launch shows the window again; with the switch off, closing the window quits. The
// launcher's badge (the Unity launcher API, through libunity) shows the same total.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  api,
  appBinary,
  click,
  inFront,
  launch,
  openNewAccount,
  processesOf,
  registerVerified,
  screenshot,
  startDriver,
  stopDriver,
  textOf,
  tokenMailedTo,
  visible,
  waitFor,
  waitForActiveTab,
} from "./harness.mjs";
import { startTrayHost } from "./tray-host.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";
const BEN = "ben@example.com";
const here = path.dirname(fileURLToPath(import.meta.url));

let host;
before(async () => {
  await startDriver();
  host = await startTrayHost();
});
after(() => {
  host?.stop();
  stopDriver();
});

/** The window's map state as X sees it: IsViewable, IsUnMapped… */
const mapState = () => /Map State: (\w+)/.exec(execFileSync("xwininfo", ["-name", "Lanyard"], { encoding: "utf8", env: process.env }))?.[1];

/** The window's close button, as a window manager presses it. */
const closeWindow = () => execFileSync(process.env.LANYARD_TEST_PYTHON ?? "python3", [path.join(here, "close-window.py"), "Lanyard"], { env: process.env });

test("the tray shows the total and the accounts, and keeps Lanyard running when the window closes", async () => {
  const browser = await launch();
  const item = await waitFor(() => host.items[0], { message: "the tray icon registered with the panel" });
  const label = () => host.property(item, "XAyatanaLabel");
  try {
    const server = await registerVerified(ANNA, PASSWORD);
    await openNewAccount(ANNA, PASSWORD, "Acme", "acme");
    await visible(inFront("[data-test=overview]"));
    await waitFor(async () => (await host.menu(item)).some((e) => e.label === "Acme (acme)"), {
      message: "Acme in the tray's menu",
    });
    assert.equal(await label(), "", "nothing open yet: no number beside the icon");

    // Ben joins Acme and gives Anna two tasks; Anna is invited to Globex: the tray counts 3.
    await registerVerified(BEN, PASSWORD);
    const login = async (who) =>
      (await api(server, "POST", "api/v1/auth/login", { login: who, password: PASSWORD, device_name: "Laptop" })).body;
    const annaElsewhere = await login(ANNA);
    const ben = await login(BEN);
    assert.equal((await api(server, "POST", "api/v1/accounts/acme/invitations", { email: BEN }, annaElsewhere.access_token)).status, 201);
    const accepted = await api(server, "POST", "api/v1/invitations/accept", { token: await tokenMailedTo(BEN, "Acme") }, ben.access_token);
    assert.equal(accepted.status, 200);
    const employees = (await api(server, "GET", "api/v1/accounts/acme/employees?status=active", null, ben.access_token)).body;
    const anna = employees.find((e) => e.id !== accepted.body.id);
    for (const title of ["Report", "Budget"]) {
      const made = await api(server, "POST", "api/v1/accounts/acme/tasks", { title, assignee_id: anna.id }, ben.access_token);
      assert.equal(made.status, 201);
    }
    assert.equal((await api(server, "POST", "api/v1/accounts", { address: "globex", name: "Globex" }, ben.access_token)).status, 201);
    assert.equal((await api(server, "POST", "api/v1/accounts/globex/invitations", { email: ANNA }, ben.access_token)).status, 201);
    await waitFor(async () => (await label()) === "3", { message: "the tray's total: 2 tasks + 1 invitation" });
    // The launcher's badge shows the same total.
    await waitFor(() => host.badges.get("application://Lanyard.desktop") === 3, {
      message: "the launcher's badge at 3",
    });

    // The menu opens Acme's tab from another page.
    await click("[data-test=new-tab]");
    await host.click(item, "Acme (acme)");
    await waitForActiveTab("Acme");

    // Closing the window leaves the app running in the tray; a second launch shows it again.
    const [pid] = processesOf(appBinary);
    closeWindow();
    await waitFor(() => mapState() === "IsUnMapped", { message: "the window hidden, not closed" });
    assert.deepEqual(processesOf(appBinary), [pid], "still running, in the tray");
    execFileSync(appBinary, [], { env: process.env, timeout: 60_000 });
    await waitFor(() => mapState() === "IsViewable", { message: "the window shown again by a second launch" });
    await visible(inFront("[data-test=overview]"));
    // "Show Lanyard" in the tray's menu does the same.
    closeWindow();
    await waitFor(() => mapState() === "IsUnMapped", { message: "the window hidden again" });
    await host.click(item, "Show Lanyard");
    await waitFor(() => mapState() === "IsViewable", { message: "the window shown from the tray" });
    await screenshot(browser, "tray-shown-again");

    // Turned off, closing the window quits.
    await click("[data-test=avatar]");
    await textOf("[data-test=menu-keep-running][aria-checked=true]", "Keep running in the tray when the window is closed");
    await click("[data-test=menu-keep-running]");
    await click("[data-test=avatar]");
    await visible("[data-test=menu-keep-running][aria-checked=false]");
    await browser.keys(["Escape"]);
    closeWindow();
    await waitFor(() => processesOf(appBinary).length === 0, { message: "the app to quit when its window closes" });
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
});
