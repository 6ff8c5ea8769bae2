// Live changes, as a person lives with them: the server pushes a task assigned to Anna, and
// the system's notification server (dunst, on the test's own D-Bus session) gets a
// notification at once, read off the bus with dbus-monitor, and a click on it opens the tab; muted from the tab's "⋯" menu, the
// account stays quiet (and the tab still shows the change); a sign-in from another device is
// always told; a session revoked elsewhere makes its tab ask for a sign-in without a click.
// And Lanyard starts with the person's session only when asked to.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  api,
  click,
  inFront,
  launch,
  openNewAccount,
  registerVerified,
  revokeElsewhere,
  screenshot,
  selectTab,
  startDriver,
  stopDriver,
  textOf,
  tokenMailedTo,
  visible,
  waitFor,
  waitForActiveTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";
const BEN = "ben@example.com";

const children = [];
/** Every `Notify` call on the session bus, as dbus-monitor prints them. */
let bus = "";

before(async () => {
  await startDriver();
  // A real notification server (it needs the display startDriver made) and a listener on the
  // bus that records what is sent to it.
  const dunst = spawn("dunst", [], { stdio: "ignore", env: process.env });
  const monitor = spawn("dbus-monitor", ["--session", "interface='org.freedesktop.Notifications',member='Notify'"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  monitor.stdout.on("data", (chunk) => (bus += chunk));
  children.push(dunst, monitor);
  await waitFor(async () => bus.includes("NameAcquired") || bus.length > 0, { message: "dbus-monitor listening" });
});
after(() => {
  for (const child of children) child.kill("SIGTERM");
  stopDriver();
});

/** The notifications sent so far: each Notify call's summary and body (its 4th and 5th
 * string arguments: app name, icon, summary, body after the replaced id). */
function notifications() {
  return bus
    .split(/^method call /m)
    .slice(1)
    .map((call) => [...call.matchAll(/^\s*string "((?:[^"\\]|\\.)*)"/gm)].map((m) => m[1]))
    .map(([, , summary, body]) => ({ summary, body }));
}

async function notified(summary, body, message) {
  return waitFor(() => notifications().find((n) => n.summary === summary && n.body.includes(body)), { message });
}

test("changes arrive live: a notification at once, muted per account, sign-ins always", async () => {
  const browser = await launch();
  try {
    // Anna at Acme in the app; Ben, through the API, an employee there too.
    const server = await registerVerified(ANNA, PASSWORD);
    await openNewAccount(ANNA, PASSWORD, "Acme", "acme");
    await visible(inFront("[data-test=overview]"));
    await registerVerified(BEN, PASSWORD);
    const login = async (who) =>
      (await api(server, "POST", "api/v1/auth/login", { login: who, password: PASSWORD, device_name: "Laptop" })).body;
    const annaElsewhere = await login(ANNA);
    const ben = await login(BEN);
    assert.equal((await api(server, "POST", "api/v1/accounts/acme/invitations", { email: BEN }, annaElsewhere.access_token)).status, 201);
    const accepted = await api(server, "POST", "api/v1/invitations/accept", { token: await tokenMailedTo(BEN, "Acme") }, ben.access_token);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    const employees = (await api(server, "GET", "api/v1/accounts/acme/employees?status=active", null, ben.access_token)).body;
    const anna = employees.find((e) => e.id !== accepted.body.id);
    const assign = (title) =>
      api(server, "POST", "api/v1/accounts/acme/tasks", { title, assignee_id: anna.id }, ben.access_token);

    // Looking at another page: Ben's task for Anna is told by a notification, at once.
    await click("[data-test=new-tab]");
    const sent = Date.now();
    assert.equal((await assign("Quarterly report")).status, 201);
    await notified("New task in Acme", "Quarterly report", "a notification of the task");
    console.log(`# task assigned → notification on the bus: ${Date.now() - sent} ms`);
    await screenshot(browser, "live-notified");
    // A click on it (dunst's default action, as a click on the bubble does) brings Acme's tab
    // to the front.
    execFileSync("dunstctl", ["action", "0"], { env: process.env });
    await waitForActiveTab("Acme");

    // Muted from the tab's menu: a task there is shown on the tab, without a notification.
    await selectTab("Acme");
    await click(inFront("[data-test=tab-menu]"));
    await click(inFront("[data-test=menu-mute]"));
    await click(inFront("[data-test=tab-menu]"));
    await textOf(inFront("[data-test=menu-mute][aria-checked=true]"), "Unmute notifications");
    await browser.keys(["Escape"]);
    await click("[data-test=new-tab]");
    assert.equal((await assign("Muted work")).status, 201);
    await textOf("[data-test=tab] [data-test=badge]", "2");
    // A sign-in from another device is told even so; it comes after the muted task, so once
    // it is on the bus, the task would have been too.
    await login(ANNA);
    await notified("New sign-in to your profile", "Laptop", "a notification of the new sign-in");
    assert.ok(
      !notifications().some((n) => n.body.includes("Muted work")),
      `no notification for the muted account: ${JSON.stringify(notifications())}`,
    );

    // Revoked on another device: the tab asks for a sign-in by itself, no click needed.
    await selectTab("Acme");
    await visible(inFront("[data-test=overview]"));
    await revokeElsewhere(server, ANNA, PASSWORD);
    await visible(inFront("[data-test=sign-in-again]"));
    await screenshot(browser, "live-revoked");
  } finally {
    await browser.deleteSession();
  }
});

test("Lanyard starts with the session only when asked (an XDG autostart entry)", async () => {
  const browser = await launch();
  try {
    const folder = path.join(process.env.XDG_CONFIG_HOME, "autostart");
    const entries = () => (existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".desktop")) : []);
    assert.deepEqual(entries(), [], "off by default");
    await click("[data-test=avatar]");
    await textOf("[data-test=menu-autostart][aria-checked=false]", "Start with the session");
    await click("[data-test=menu-autostart]");
    const [file] = await waitFor(() => entries().length === 1 && entries(), { message: "an autostart entry" });
    assert.match(readFileSync(path.join(folder, file), "utf8"), /^Exec=.*lanyard/m, "it starts this app");
    await click("[data-test=avatar]");
    await textOf("[data-test=menu-autostart][aria-checked=true]", "Start with the session");
    await click("[data-test=menu-autostart]");
    await waitFor(() => entries().length === 0, { message: "the autostart entry removed" });
  } finally {
    await browser.deleteSession();
  }
});
