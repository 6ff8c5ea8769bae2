// What the desktop end-to-end tests run on: a virtual display (Xvfb), tauri-driver in front of
// WebKitWebDriver on a free port, and WebDriver sessions of the built app. Run inside
// scripts/keyring-session, so the app meets a real (private, unlocked) Secret Service.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { remote } from "webdriverio";

const root = path.resolve(import.meta.dirname, "../..");
/** Where cargo put the binaries: CARGO_TARGET_DIR when set (a relative one from the repository). */
const target = path.resolve(root, process.env.CARGO_TARGET_DIR ?? "target");
export const appBinary = process.env.LANYARD_APP ?? path.join(target, "debug/lanyard");
/** The system browser stand-in (crates/testkit) that signs in on the provider's pages. */
export const browserStandIn = path.join(target, "debug/browser-stand-in");
export const artifacts = process.env.LANYARD_E2E_ARTIFACTS ?? path.join(root, "target/e2e-artifacts");
/** Where the app keeps its data (Tauri's app data folder under the session's XDG_DATA_HOME). */
export const dataDir = process.env.LANYARD_DATA_DIR ?? path.join(process.env.XDG_DATA_HOME ?? "", "app.lanyard.desktop");

const children = [];

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startXvfb() {
  return new Promise((resolve, reject) => {
    const xvfb = spawn("Xvfb", ["-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp"], {
      stdio: ["ignore", "ignore", "inherit", "pipe"],
    });
    children.push(xvfb);
    xvfb.once("error", reject);
    xvfb.stdio[3].once("data", (data) => resolve(`:${String(data).trim()}`));
  });
}

async function waitForPort(port, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/status`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`tauri-driver did not answer on port ${port}`);
}

let driverPort = 0;

/** Starts the display and tauri-driver once for the whole run; the apps it launches get
 * this process's environment plus `env`. */
export async function startDriver(env = {}) {
  Object.assign(process.env, env);
  mkdirSync(artifacts, { recursive: true });
  process.env.DISPLAY = await startXvfb();
  driverPort = await freePort();
  const nativePort = await freePort();
  const driver = spawn(
    "tauri-driver",
    ["--port", String(driverPort), "--native-port", String(nativePort)],
    { stdio: ["ignore", "inherit", "inherit"], env: process.env },
  );
  children.push(driver);
  await waitForPort(driverPort, 20_000);
}

export function stopDriver() {
  for (const child of children.reverse()) child.kill("SIGTERM");
}

/** The window the helpers below act on: the one `launch` connected last. */
let current;

/** Launches the app (a new process) and connects a WebDriver session to its window. */
export async function launch(application = appBinary) {
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application },
    },
  });
  browser.setTimeout({ implicit: 0 });
  current = browser;
  return browser;
}

// --- helpers on the current window ----------------------------------------------------------

/** A selector within the page in front (the other tabs' pages are hidden). */
export const inFront = (selector) => `section.page:not([hidden]) ${selector}`;

export async function visible(selector, timeout = 20_000) {
  const found = await current.$(selector);
  await found.waitForDisplayed({ timeout });
  return found;
}

export async function click(selector) {
  await (await visible(selector)).click();
}

export async function type(selector, text) {
  await (await visible(selector)).setValue(text);
}

// textContent: WebKitWebDriver reads ellipsised text as empty.
const textOf = async (element) => (await element.getProperty("textContent")).trim();

export async function tabNames() {
  return current.$$("[data-test=tab] .name").map(textOf);
}

export async function activeTabName() {
  return textOf(await current.$("[data-test=tab][aria-selected=true] .name"));
}

/** The tab strip's tab named `name`. */
export async function tabNamed(name) {
  for (const tab of await current.$$("[data-test=tab]")) {
    if ((await textOf(await tab.$(".name"))) === name) return tab;
  }
  throw new Error(`no tab ${name}: ${await tabNames()}`);
}

export async function waitForTab(name) {
  await current.waitUntil(async () => (await tabNames()).includes(name), {
    timeout: 30_000,
    timeoutMsg: `no tab named ${name}`,
  });
}

/** A shell command as the UI invokes it (for setting up; the flows under test use the UI). */
export async function command(cmd, args = {}) {
  const answer = await current.executeAsync(
    (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((ok) => done({ ok }), (err) => done({ err })),
    cmd,
    args,
  );
  if (answer.err) throw new Error(`${cmd}: ${JSON.stringify(answer.err)}`);
  return answer.ok;
}

/** A call of the server's HTTP API, as a second client (a phone, say) makes it. */
export async function api(server, method, path, body, access) {
  const response = await fetch(new URL(path, server), {
    method,
    headers: { "content-type": "application/json", ...(access ? { authorization: `Bearer ${access}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Registers `email` through the shell and verifies it with the link the local inbox got;
 * answers the built-in server's URL. */
export async function registerVerified(email, password) {
  const { local_server: server } = await command("app_info");
  await command("register", {
    server: "local",
    request: { email, phone: null, password, first_name: null, last_name: null },
  });
  const mail = (await command("inbox")).find((m) => m.to === email);
  const token = new URL(mail.links[0]).searchParams.get("token");
  const verified = await api(server, "POST", "api/v1/auth/verify-email", { token });
  if (verified.status !== 200) throw new Error(`verifying ${email}: ${verified.status}`);
  return server;
}

export async function screenshot(browser, name) {
  // Two frames and a moment: WebKitGTK's snapshot can trail the last DOM change.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await browser.saveScreenshot(path.join(artifacts, `${name}.png`));
}

/** The Secret Service entry of a connected account, read with libsecret's own tool. */
export function keyringEntry(key) {
  try {
    return execFileSync("secret-tool", ["lookup", "service", "Lanyard", "username", key], {
      encoding: "utf8",
    });
  } catch {
    return "";
  }
}

/** All the Lanyard entries in the keyring, as secret-tool lists them. */
export function keyringUsernames() {
  // secret-tool prints the labels and secrets on stdout, the attributes on stderr.
  const run = spawnSync("secret-tool", ["search", "--all", "service", "Lanyard"], { encoding: "utf8" });
  const out = `${run.stdout}${run.stderr}`;
  return [...out.matchAll(/attribute\.username = (.*)/g)].map((m) => m[1].trim());
}

/**
 * The real OpenID provider of tests/oidc (oidc-provider under Node) with one client that
 * redirects to `callback` and these people: {login: {email, email_verified}}. Resolves to its
 * issuer URL.
 */
export async function startProvider(callback, people) {
  const port = await freePort();
  const provider = spawn("node", ["provider.js", String(port)], {
    cwd: path.join(root, "tests/oidc"),
    env: {
      ...process.env,
      OIDC_CLIENTS: JSON.stringify([{ client_id: "lanyard", client_secret: "provider-issued-secret", redirect_uris: [callback] }]),
      OIDC_USERS: JSON.stringify(people),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(provider);
  return new Promise((resolve, reject) => {
    provider.once("error", reject);
    provider.stdout.on("data", (data) => {
      const ready = /ready (\S+)/.exec(String(data));
      if (ready) resolve(ready[1]);
    });
  });
}

/** What a phone's camera reads: the QR code on screen, decoded from a screenshot. */
export async function scanQr(element) {
  const { PNG } = await import("pngjs");
  const { default: jsQR } = await import("jsqr");
  const png = PNG.sync.read(Buffer.from(await element.takeScreenshot(), "base64"));
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error("no QR code readable on screen");
  return code.data;
}
