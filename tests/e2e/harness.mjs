// What the desktop end-to-end tests run on: a virtual display (Xvfb), tauri-driver in front of
// WebKitWebDriver on a free port, and WebDriver sessions of the built app. Run inside
// scripts/keyring-session, so the app meets a real (private, unlocked) Secret Service.
import { spawn, spawnSync, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, writeFileSync } from "node:fs";
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
  await waitForPort(driverPort, WAIT_MS);
}

export function stopDriver() {
  for (const child of children.reverse()) child.kill("SIGTERM");
}

/** The window the helpers below act on: the one `launch` connected last. */
let current;

/** The processes of `application` (on Linux, by the executables in /proc): their pids. */
export function processesOf(application) {
  const wanted = realpathSync(application);
  return readdirSync("/proc").filter((entry) => {
    try {
      return /^\d+$/.test(entry) && readlinkSync(`/proc/${entry}/exe`) === wanted;
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
}

const running = (application) => processesOf(application).length > 0;

/** Whether an instance of the app holds its single-instance name on the session bus, as the
 * bus itself sees it (it releases a name only once it has noticed its owner is gone). */
function instanceOnBus() {
  const names = execFileSync(
    "dbus-send",
    ["--session", "--dest=org.freedesktop.DBus", "--type=method_call", "--print-reply",
      "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"],
    { encoding: "utf8", env: process.env },
  );
  return names.includes(".SingleInstance");
}

/** Launches the app (a new process, with `args`) and connects a WebDriver session to its
 * window. */
export async function launch(application = appBinary, args = []) {
  // A closed session's app may still be shutting down, or the bus may not have noticed yet
  // that it is gone: a new one started then finds the single-instance name taken, hands its
  // arguments to the leaving one (NoReply) and quits.
  await waitFor(() => !running(application) && !instanceOnBus(), {
    message: "the previous instance to exit and leave the bus",
  });
  const browser = await remote({
    hostname: "127.0.0.1",
    port: driverPort,
    logLevel: "warn",
    connectionRetryCount: 0,
    capabilities: {
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application, args },
    },
  });
  // No implicit waits (the helpers below poll on their own); shell commands on a busy
  // machine may take a while.
  await browser.setTimeout({ implicit: 0, script: WAIT_MS });
  current = browser;
  return browser;
}

// --- waiting ---------------------------------------------------------------------------------
//
// The UI re-renders whenever its state changes (Svelte), so an element found a moment ago may
// be gone or replaced by the next command. Every helper below therefore takes a selector, not
// an element, finds what it needs in the same round trip as it reads or acts where it can, and
// polls until a deadline, counting an element that went stale or is not there yet as "not
// yet". No fixed sleeps: on a busy machine a render can take seconds.

/** How long a wait lasts by default. Generous: a wait that succeeds returns at once. */
export const WAIT_MS = Number(process.env.LANYARD_E2E_WAIT_MS ?? 60_000);
const POLL_MS = 150;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** WebDriver errors that mean "the page is changing under us": worth another try. */
const TRANSIENT =
  /stale element|no such element|not attached|no longer attached|wasn't found|not interactable|click intercepted|not clickable|no such node|detached/i;
export const isTransient = (error) => TRANSIENT.test(`${error?.name ?? ""} ${error?.message ?? ""}`);

/**
 * Polls `probe` until it answers something truthy, and answers that. A transient error (see
 * above) counts as "not yet"; any other error fails at once. `nudge`, when given, runs every
 * `nudgeEvery` ms while the answer is still no (to ask the page again, say).
 */
export async function waitFor(probe, { timeout = WAIT_MS, message = "the condition", nudge, nudgeEvery = 10_000 } = {}) {
  const started = Date.now();
  let nudged = started;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
      lastError = undefined;
    } catch (error) {
      if (!isTransient(error)) throw error;
      lastError = error;
    }
    if (Date.now() - started >= timeout) break;
    if (nudge && Date.now() - nudged >= nudgeEvery) {
      nudged = Date.now();
      try {
        await nudge();
      } catch (error) {
        if (!isTransient(error)) throw error;
      }
    }
    await sleep(POLL_MS);
  }
  const why = lastError ? `last error: ${lastError.message}` : `last answer: ${JSON.stringify(last)}`;
  throw new Error(`waited ${Math.round(timeout / 1000)} s for ${message}; ${why}`);
}

/** Runs `action` until it goes through without a transient error; answers what it answers. */
export async function retry(action, { timeout = WAIT_MS, message = "an action" } = {}) {
  const done = await waitFor(async () => ({ value: await action() }), { timeout, message });
  return done.value;
}

// --- finding, in the page, in one round trip ----------------------------------------------------

/**
 * What `find` below looks for: the elements matching `selector`; with `text`, only those whose
 * text (of the descendant `textIn`, if given) contains it (equals it, with `exact`); then the
 * descendant `inner` of that element, if given. By default only a displayed one counts, and
 * for clicks only an enabled one.
 */
function findInPage(selector, { text, exact = false, textIn, inner, displayed = true, enabled = false, all = false }) {
  const shown = (el) =>
    el.isConnected && !el.closest("[hidden]") && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (text !== undefined && text !== null) {
      const holder = textIn ? el.querySelector(textIn) : el;
      // textContent: WebKitWebDriver reads ellipsised text as empty.
      const said = (holder?.textContent ?? "").trim();
      if (exact ? said !== text : !said.includes(text)) continue;
    }
    const target = inner ? el.querySelector(inner) : el;
    if (!target) continue;
    if (displayed && !shown(target)) continue;
    if (enabled && (target.disabled || target.getAttribute("aria-disabled") === "true")) continue;
    if (!all) return target;
    found.push((target.textContent ?? "").trim());
  }
  return all ? found : null;
}

const elementId = (ref) => ref && (ref["element-6066-11e4-a52e-4f735466cecf"] ?? ref.ELEMENT);

const asElement = (id) => ({ "element-6066-11e4-a52e-4f735466cecf": id, ELEMENT: id });

const describe = (selector, how = {}) =>
  [selector, how.textIn && `with ${how.textIn}`, how.text != null && `saying "${how.text}"`, how.inner && `→ ${how.inner}`]
    .filter(Boolean)
    .join(" ");

/** The WebDriver id of the first element `findInPage` finds, or null (one round trip). */
async function find(selector, how = {}) {
  return elementId(await current.execute(findInPage, selector, how));
}

/** The id of such an element, once there is one (`timeout` and `nudge` as for waitFor). */
async function located(selector, how = {}, what = "to be displayed") {
  const { timeout, nudge, ...query } = how;
  return waitFor(() => find(selector, query), { timeout, nudge, message: `${describe(selector, how)} ${what}` });
}

// --- helpers on the current window ----------------------------------------------------------

/** A selector within the page in front (the other tabs' pages are hidden). */
export const inFront = (selector) => `section.page:not([hidden]) ${selector}`;

/** Waits until an element matching `selector` (and `how`, see findInPage) is displayed. */
export async function visible(selector, how = {}) {
  await located(selector, how);
}

/** Waits until nothing matches `selector` any more, displayed or not. */
export async function absent(selector, { timeout } = {}) {
  await waitFor(async () => (await current.execute((s) => document.querySelectorAll(s).length, selector)) === 0, {
    timeout,
    message: `${selector} to go away`,
  });
}

/** Whether an element matching `selector` (and `how`) is displayed right now. */
export async function shown(selector, how = {}) {
  return Boolean(await find(selector, how));
}

/** Clicks the element once it is displayed and enabled; found again if it was re-rendered. */
export async function click(selector, how = {}) {
  await retry(
    async () => {
      const id = await located(selector, { ...how, enabled: true }, "to be clickable");
      await current.elementClick(id);
    },
    { timeout: how.timeout, message: `clicking ${describe(selector, how)}` },
  );
}

/** Types `text` into the field (replacing what it held) and checks the field kept it. */
export async function type(selector, text, how = {}) {
  await waitFor(
    async () => {
      const id = await located(selector, { ...how, enabled: true }, "to take input");
      await current.elementClear(id);
      await current.elementSendKeys(id, text);
      return (await current.execute((field) => field.value, asElement(id))) === text;
    },
    { timeout: how.timeout, message: `${describe(selector, how)} to hold "${text}"` },
  );
}

/** On the sign-in page's account list: creates account `name` at `address`, and waits for it
 * to be listed to pick. */
/** "Sign in using login and password" on the page in front, up to the list of the profile's
 * accounts. */
export async function listAccounts(login, password) {
  await click(inFront("[data-test=mode-login]"));
  await type(inFront("[data-test=login]"), login);
  await type(inFront("[data-test=password]"), password);
  await click(inFront("[data-test=list-accounts]"));
}

/** Signs `login` in on the page in front, creates the account `name` at `address` and opens
 * its tab. */
export async function openNewAccount(login, password, name, address) {
  await listAccounts(login, password);
  await createAccount(name, address);
  await click(inFront(`[data-test=pick][data-address=${address}]`));
  await waitForTab(name);
}

export async function createAccount(name, address) {
  await type(inFront("[data-test=new-name]"), name);
  await type(inFront("[data-test=new-address]"), address);
  await click(inFront("[data-test=create-account]"));
  await visible(inFront(`[data-test=pick][data-address=${address}]`));
}

/** The texts of every element matching `selector`, read in one round trip. */
export async function texts(selector, how = {}) {
  return current.execute(findInPage, selector, { displayed: false, ...how, all: true });
}

/**
 * The text of the displayed element matching `selector`, once there is one; with `expected`
 * (a string it must contain, a RegExp it must match, or a predicate), once it says that.
 */
export async function textOf(selector, expected, how = {}) {
  const matches =
    expected === undefined
      ? () => true
      : typeof expected === "string"
        ? (t) => t.includes(expected)
        : expected instanceof RegExp
          ? (t) => expected.test(t)
          : expected;
  const answer = await waitFor(
    async () => {
      const [said] = await current.execute(findInPage, selector, { ...how, all: true });
      return said !== undefined && matches(said) ? { said } : null;
    },
    { timeout: how.timeout, message: `${selector} to say ${expected ?? "something"}` },
  );
  return answer.said;
}

/** The names in the tab strip, left to right (one round trip: the strip re-renders often). */
export async function tabNames() {
  return texts("[data-test=tab] .name");
}

/** The name of the tab in front, or null while there is none. */
export async function activeTabName() {
  const [name] = await texts("[data-test=tab][aria-selected=true] .name");
  return name ?? null;
}

const TAB = { textIn: ".name", exact: true };

export async function waitForTab(name, { timeout } = {}) {
  await waitFor(async () => (await tabNames()).includes(name), { timeout, message: `a tab named ${name}` });
}

export async function waitForNoTab(name, { timeout } = {}) {
  await waitFor(async () => !(await tabNames()).includes(name), { timeout, message: `the tab ${name} to close` });
}

export async function waitForActiveTab(name, { timeout, message } = {}) {
  await waitFor(async () => (await activeTabName()) === name, {
    timeout,
    message: message ?? `${name} in front`,
  });
}

/** Brings the tab named `name` to the front, and waits until it is. */
export async function selectTab(name) {
  await click("[data-test=tab]", { ...TAB, text: name });
  await waitForActiveTab(name);
}

/** Clicks the × of the tab named `name` (of the tab in front, without a name), and waits
 * until the strip lets that tab go. */
export async function closeTab(name) {
  const which = name === undefined ? "[data-test=tab][aria-selected=true]" : "[data-test=tab]";
  const how = name === undefined ? {} : { ...TAB, text: name };
  const key = await retry(
    async () => current.execute((el) => el.dataset.key, asElement(await located(which, how))),
    { message: `the key of the tab ${name ?? "in front"}` },
  );
  await click(`[data-tab-key="${key}"] [data-test=close-tab]`);
  await absent(`[data-test=tab][data-key="${key}"]`);
}

/** Opens the avatar's menu and picks `item` (a selector) in it. */
export async function menu(item) {
  await click("[data-test=avatar]");
  await click(item);
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

/** Another device signs in as `login` and ends every session but its own, as the profile
 * page's "Sessions" list does from a phone; answers that device's tokens. */
export async function revokeElsewhere(server, login, password) {
  const device = (await api(server, "POST", "api/v1/auth/login", { login, password, device_name: "Phone" })).body;
  const sessions = (await api(server, "GET", "api/v1/me/sessions", null, device.access_token)).body;
  const others = sessions.filter((s) => !s.current);
  if (others.length === 0) throw new Error("no other session of the profile to end");
  for (const session of others) {
    const ended = await api(server, "DELETE", `api/v1/me/sessions/${session.id}`, null, device.access_token);
    if (ended.status !== 204) throw new Error(`ending session ${session.id}: ${ended.status}`);
  }
  return device;
}

/** The newest message to `to` in the built-in server's outbox (with `subjectPart` in its
 * subject), once it has arrived: the server may send it after answering. */
export async function inboxMessage(to, subjectPart = "") {
  return waitFor(async () => (await command("inbox")).find((m) => m.to === to && m.subject.includes(subjectPart)), {
    message: `a message to ${to} about "${subjectPart}" in the local inbox`,
  });
}

/** The token in the newest mail to `to` in the built-in server's outbox folder, read as a
 * mail program reads it: quoted-printable parts decoded, and base64 ones (the encoding a
 * Russian text gets). */
function newestTokenTo(to) {
  const outbox = path.join(process.env.LANYARD_DATA_DIR ?? dataDir, "outbox");
  const decoded = (raw) => {
    const quoted = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    const base64 = [...raw.matchAll(/^Content-Transfer-Encoding: base64\r?\n(?:[^\r\n]+\r?\n)*\r?\n([A-Za-z0-9+/=\r\n]+)/gim)].map(
      ([, body]) => Buffer.from(body.replace(/\s/g, ""), "base64").toString("utf8"),
    );
    return [quoted, ...base64].join("\n");
  };
  const mail = readdirSync(outbox)
    .filter((name) => name.endsWith(".eml"))
    .map((name) => ({ name, at: statSync(path.join(outbox, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at)
    .map(({ name }) => readFileSync(path.join(outbox, name), "utf8"))
    .find((raw) => /^To: (.*)$/m.exec(raw)?.[1].trim() === to);
  const token = mail && decoded(mail).match(/token=([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no link with a token in the mail to ${to}`);
  return token;
}

/** The token of the link in the newest mail to `to`, once it has arrived, read from the
 * built-in server's outbox folder as the person's mail program would. */
export async function tokenMailedTo(to, subjectPart = "") {
  await inboxMessage(to, subjectPart);
  return newestTokenTo(to);
}

/** Registers `email` through the shell and verifies it with the link the local inbox got;
 * answers the built-in server's URL. */
export async function registerVerified(email, password) {
  await command("register", {
    server: "local",
    request: { email, phone: null, password, first_name: null, last_name: null },
  });
  return verifyByMail(email);
}

/** Verifies `email` with the link its verification mail holds, as the person's mail program
 * shows it; answers the built-in server's URL. */
export async function verifyByMail(email) {
  const { local_server: server } = await command("app_info");
  const shown = await inboxMessage(email);
  if (/token=[A-Za-z0-9_-]{8,}/.test(JSON.stringify(shown))) {
    throw new Error(`the local inbox handed a token to the web view: ${JSON.stringify(shown)}`);
  }
  // The web view never sees a token (the inbox blanks them): read the mail file, as the
  // person's mail program would.
  const token = newestTokenTo(email);
  const verified = await api(server, "POST", "api/v1/auth/verify-email", { token });
  if (verified.status !== 200) throw new Error(`verifying ${email}: ${verified.status}`);
  return server;
}

/**
 * The virtual display's pixels as PNG bytes, taken by ImageMagick's `import`: the whole screen,
 * or the `crop` rectangle of it (screen pixels). What a person, or a phone's camera, sees.
 * (WebKitWebDriver's own screenshot waits for a composited frame, which Lanyard's window never
 * makes: it draws on the CPU, src-tauri/rendering.rs.)
 */
function capture(crop) {
  const args = ["-display", process.env.DISPLAY, "-window", "root"];
  if (crop) args.push("-crop", `${crop.width}x${crop.height}+${crop.x}+${crop.y}`, "+repage");
  return execFileSync("import", [...args, "png:-"], { maxBuffer: 64 << 20 });
}

export async function screenshot(browser, name) {
  // Two frames and a moment: what is on screen can trail the last DOM change.
  await browser.executeAsync((done) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await new Promise((resolve) => setTimeout(resolve, 300));
  writeFileSync(path.join(artifacts, `${name}.png`), capture());
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

/** What a phone's camera reads: the QR code shown by the element matching `selector`,
 * decoded from a screenshot of it, once one is readable. */
export async function scanQr(selector) {
  const { PNG } = await import("pngjs");
  const { default: jsQR } = await import("jsqr");
  return waitFor(
    async () => {
      const element = await current.$(selector);
      if (!(await element.isDisplayed())) return null;
      // Where the element is on the screen: its place in the page plus the window's.
      const place = await current.execute((node) => {
        const box = node.getBoundingClientRect();
        const [x, y] = [Math.round(box.left + window.screenX), Math.round(box.top + window.screenY)];
        return { x, y, width: Math.round(box.width), height: Math.round(box.height) };
      }, element);
      const png = PNG.sync.read(capture(place));
      return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
    },
    { message: `a readable QR code in ${selector}` },
  );
}

// --- accessibility ---------------------------------------------------------------------------

const axeSource = readFileSync(path.join(import.meta.dirname, "node_modules/axe-core/axe.min.js"), "utf8");

/**
 * Runs axe-core in the app's web view on what is on screen now (WCAG 2.0–2.2 A and AA rules)
 * and answers its serious and critical violations, each as `rule: target (why)`.
 */
export async function accessibilityProblems() {
  // axe's source goes in as the script itself: the app's content security policy forbids
  // `eval`, and WebDriver's own scripts are exempt from it.
  const found = await current.executeAsync(`
    const done = arguments[arguments.length - 1];
    if (!window.axe) { ${axeSource}\n }
    window.axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } })
      .then(
        (result) => done({ violations: result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ") + " (" + n.failureSummary.replace(/\\s+/g, " ").slice(0, 160) + ")") })) }),
        (error) => done({ error: String(error) }),
      );
  `);
  if (found.error) throw new Error(`axe-core: ${found.error}`);
  return found.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v) => v.nodes.map((node) => `${v.id}: ${node}`));
}
