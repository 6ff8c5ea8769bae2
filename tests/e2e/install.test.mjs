// Installed like any desktop app: the .deb that `scripts/package --debug` built installs
// with apt, lists itself among the desktop's applications (name, icon, the `lanyard://`
// scheme), starts, and a `lanyard://` link opened with xdg-open (as a browser or mail program
// opens it) reaches the running app, which shows the invitation's sign-in; then it
// uninstalls cleanly. It changes the machine, so it runs only where it may: as root or with
// sudo that asks no password (the test command on CI); elsewhere it skips, saying why.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  api,
  click,
  createAccount,
  inFront,
  launch,
  processesOf,
  registerVerified,
  screenshot,
  startDriver,
  stopDriver,
  tokenMailedTo,
  type,
  visible,
  waitFor,
  waitForTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";
const BEN = "ben@example.com";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const debs = path.join(root, "target/debug/bundle/deb");
const INSTALLED = "/usr/bin/lanyard";
const DESKTOP_FILE = "/usr/share/applications/Lanyard.desktop";

function mayInstall() {
  if (process.getuid?.() === 0) return [];
  try {
    execFileSync("sudo", ["-n", "true"], { stdio: "ignore" });
    return ["sudo", "-n"];
  } catch {
    return null;
  }
}
const asRoot = mayInstall();
const deb = existsSync(debs) ? readdirSync(debs).find((f) => f.endsWith(".deb")) : undefined;
const skip =
  asRoot === null
    ? "installing a package needs root or sudo without a password"
    : deb === undefined
      ? "no .deb in target/debug/bundle/deb (scripts/package --debug makes it)"
      : process.env.LANYARD_E2E_NO_INSTALL
        ? "LANYARD_E2E_NO_INSTALL is set"
        : false;
if (skip) console.log(`# skipped: ${skip}`);

const run = (args) => {
  const [program, ...rest] = [...asRoot, ...args];
  return execFileSync(program, rest, { encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
};

before(async () => {
  if (skip) return;
  run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", path.join(debs, deb)]);
  await startDriver();
});
after(() => {
  if (skip) return;
  stopDriver();
});

test("the .deb installs, registers lanyard:// links, opens them in the running app, and uninstalls", { skip }, async () => {
  // Listed among the applications, with its icon and the scheme.
  assert.ok(existsSync(INSTALLED), `${INSTALLED} installed`);
  const entry = readFileSync(DESKTOP_FILE, "utf8");
  assert.match(entry, /^Name=Lanyard$/m);
  assert.match(entry, /^Exec=lanyard %u$/m, "links are handed to the app");
  assert.match(entry, /^MimeType=.*x-scheme-handler\/lanyard;/m);
  const icon = /^Icon=(.+)$/m.exec(entry)?.[1];
  assert.ok(
    existsSync(`/usr/share/icons/hicolor/128x128/apps/${icon}.png`),
    `the icon ${icon} is installed in the hicolor theme`,
  );
  assert.equal(execFileSync("xdg-mime", ["query", "default", "x-scheme-handler/lanyard"], { encoding: "utf8" }).trim(), "Lanyard.desktop");

  // The installed app runs; Ben invites Anna to Acme by mail.
  const browser = await launch(INSTALLED);
  try {
    const server = await registerVerified(BEN, PASSWORD);
    await registerVerified(ANNA, PASSWORD);
    const ben = (await api(server, "POST", "api/v1/auth/login", { login: BEN, password: PASSWORD, device_name: "Laptop" })).body;
    assert.equal((await api(server, "POST", "api/v1/accounts", { address: "acme", name: "Acme" }, ben.access_token)).status, 201);
    assert.equal((await api(server, "POST", "api/v1/accounts/acme/invitations", { email: ANNA }, ben.access_token)).status, 201);
    const token = await tokenMailedTo(ANNA, "Acme");

    // The invitation page's "Open in Lanyard" link, opened as a browser opens it.
    const link = new URL("lanyard://invitation");
    link.searchParams.set("server", new URL(server).origin);
    link.searchParams.set("token", token);
    execFileSync("xdg-open", [link.href], { env: process.env, timeout: 60_000 });
    await visible(inFront("[data-test=link-invitation]"));
    await screenshot(browser, "install-link-opened");
    await type(inFront("[data-test=login]"), ANNA);
    await type(inFront("[data-test=password]"), PASSWORD);
    await click(inFront("[data-test=list-accounts]"));
    await visible(inFront("[data-test=pick][data-address=acme]"));
    await click(inFront("[data-test=pick][data-address=acme]"));
    await waitForTab("Acme");
    const active = await api(server, "GET", "api/v1/accounts/acme/employees?status=active", null, ben.access_token);
    assert.equal(active.body.length, 2, "Anna joined Acme through the link");

    // A sign-in link opens the sign-in page of its account.
    const signIn = new URL("lanyard://sign-in");
    signIn.searchParams.set("server", new URL(server).origin);
    signIn.searchParams.set("address", "acme");
    execFileSync("xdg-open", [signIn.href], { env: process.env, timeout: 60_000 });
    await waitFor(async () => (await browser.$(inFront("[data-test=address]")).getValue().catch(() => "")) === "acme", {
      message: "a sign-in page for acme",
    });
  } finally {
    await browser.deleteSession().catch(() => undefined);
  }
  await waitFor(() => processesOf(INSTALLED).length === 0, { message: "the app to exit" });

  run(["apt-get", "remove", "-y", "-qq", "lanyard"]);
  assert.ok(!existsSync(INSTALLED), "the binary is gone");
  assert.ok(!existsSync(DESKTOP_FILE), "the application entry is gone");
});
