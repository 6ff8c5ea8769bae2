// Faults on the desktop: the app killed (SIGKILL) during a sign-in, during a delete and during
// a restore of several tabs, and started again: the account list, the keyring's entries and the
// restored tabs agree (no entry without its account, no tab without its secret, no delete left
// half-done). Then its data folder on a small disk of its own (a tmpfs: mounting needs root)
// that fills up, and that is read-only when the app starts: it says so plainly, loses nothing
// and leaves the keyring as it was.
//
// The kills come at moments the test sees happen, not after a sleep: a call to the Secret
// Service (dbus-monitor on the session bus) or the list saved with a delete's mark. What the app
// had done by then may differ by a few instructions from run to run, so each scenario kills at
// several such points and checks after each restart that everything agrees.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, watch, writeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  api,
  appBinary,
  click,
  closeTab,
  command,
  inFront,
  keyringEntry,
  keyringUsernames,
  launch,
  processesOf,
  registerVerified,
  screenshot,
  selectTab,
  shown,
  startDriver,
  stopDriver,
  tabNames,
  textOf,
  type,
  visible,
  waitFor,
  waitForTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";
const ACCOUNTS = { acme: "Acme", globex: "Globex", initech: "Initech" };
const NAMES = Object.values(ACCOUNTS);

const root = mkdtempSync(path.join(os.tmpdir(), "lanyard-faults-"));
const data = path.join(root, "data");
const accountsFile = path.join(data, "accounts.json");
/** Whether the data folder is a small disk of the test's own (a tmpfs: mounting needs root). */
let disk = false;
const NO_DISK = "not run: mounting the test's small disk (tmpfs) as the data folder needs root";

before(async () => {
  mkdirSync(data);
  disk = spawnSync("mount", ["-t", "tmpfs", "-o", "size=48m", "tmpfs", data], { stdio: "ignore" }).status === 0;
  await startDriver({ LANYARD_DATA_DIR: data });
});
after(() => {
  stopDriver();
  if (disk) spawnSync("umount", ["-l", data], { stdio: "ignore" });
  rmSync(root, { recursive: true, force: true });
});

let browser;

// --- killing the app ---------------------------------------------------------------------------

function killApp() {
  for (const pid of processesOf(appBinary)) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone already
    }
  }
}

/** Ends the WebDriver session of an app that may be dead already; waits until it is gone. */
async function ended() {
  const session = browser;
  browser = undefined;
  if (session) {
    await Promise.race([session.deleteSession().catch(() => undefined), new Promise((r) => setTimeout(r, 20_000))]);
  }
  await waitFor(() => processesOf(appBinary).length === 0, { message: "the app to be gone" });
}

/** Launches the app, which may be killed before its window answers. */
async function relaunch() {
  try {
    browser = await launch();
  } catch (error) {
    if (processesOf(appBinary).length > 0) throw error;
    browser = undefined;
  }
}

const SECRET = "org.freedesktop.Secret";

/**
 * Kills the app at its `count`-th call of one of `calls` ([interface, member] of the Secret
 * Service), seen on the session bus by dbus-monitor. `armed` settles once it listens; `killed`
 * with the member of the call it was killed at.
 */
function killAtSecretCall(calls, count = 1) {
  const rules = calls.map(([iface, member]) => `type='method_call',interface='${SECRET}.${iface}',member='${member}'`);
  const monitor = spawn("dbus-monitor", ["--session", ...rules], { stdio: ["ignore", "pipe", "inherit"] });
  let armed;
  const ready = new Promise((resolve) => (armed = resolve));
  const killed = new Promise((resolve, reject) => {
    let seen = 0;
    let rest = "";
    monitor.once("error", reject);
    monitor.stdout.on("data", (chunk) => {
      armed(); // dbus-monitor says first that it got its name on the bus
      const lines = `${rest}${chunk}`.split("\n");
      rest = lines.pop();
      for (const line of lines) {
        if (!line.startsWith("method call")) continue;
        seen += 1;
        if (seen === count) {
          killApp();
          monitor.kill();
          resolve(/member=(\w+)/.exec(line)?.[1]);
        }
      }
    });
  });
  return { armed: ready, killed };
}

/** Kills the app as soon as its account list is saved with `account_id` marked for deletion. */
function killAtDeleteMark(accountId) {
  let watcher;
  const killed = new Promise((resolve) => {
    watcher = watch(data, (_, name) => {
      if (name !== "accounts.json") return;
      let listed;
      try {
        listed = JSON.parse(readFileSync(accountsFile, "utf8"));
      } catch {
        return; // between the rename and the read
      }
      if (listed.some((a) => a.account_id === accountId && a.deleting)) {
        killApp();
        watcher.close();
        resolve("the delete's mark");
      }
    });
  });
  return { armed: Promise.resolve(), killed };
}

// --- what agrees after a start -------------------------------------------------------------------

const listedNow = () => (existsSync(accountsFile) ? JSON.parse(readFileSync(accountsFile, "utf8")) : []);
const keyOf = (account) => `${account.server}#${account.account_id}`;

/**
 * After a start: the list the app shows is the one on disk, no delete is left half-done, the
 * open accounts are the tabs, each tab works exactly when the keyring holds its secret (else it
 * asks for a sign-in), and the keyring holds nothing of no listed account. Answers the list
 * and the names of the tabs that work.
 */
async function agreeing() {
  const info = await command("app_info"); // answers once the start (and its reconciliation) is over
  const listed = listedNow();
  assert.ok(!listed.some((a) => a.deleting), "no delete left half-done");
  assert.deepEqual(
    info.tabs.map((t) => t.account_id).sort(),
    listed.map((a) => a.account_id).sort(),
    "the app shows the list it saved",
  );
  const open = listed.filter((a) => a.open).map((a) => a.name).sort();
  await waitFor(async () => JSON.stringify((await tabNames()).filter((n) => NAMES.includes(n)).sort()) === JSON.stringify(open), {
    message: `the restored tabs to be ${open}`,
  });
  const working = [];
  for (const name of open) {
    await selectTab(name);
    const state = await waitFor(
      async () =>
        ((await shown(inFront("[data-test=overview]"))) && "working") ||
        ((await shown(inFront("[data-test=sign-in-again]"))) && "sign-in") ||
        ((await shown(inFront("[data-test=tab-error]"))) && "error"),
      { message: `the tab ${name} to settle` },
    );
    assert.notEqual(state, "error", `the tab ${name} works or asks for a sign-in, nothing else`);
    if (state === "working") working.push(name);
  }
  // Sessions whose revocation the start queued reach the built-in server at once.
  await waitFor(() => keyringUsernames().every((k) => !k.startsWith("revoke:")), {
    message: "the sessions queued for revocation to be signed out",
  });
  const keys = keyringUsernames();
  assert.deepEqual(
    keys.filter((k) => !listed.some((a) => keyOf(a) === k)),
    [],
    "no keyring entry without its account",
  );
  for (const account of listed.filter((a) => a.open)) {
    assert.equal(
      working.includes(account.name),
      keys.includes(keyOf(account)),
      `${account.name}: its tab works exactly when its secret is in the keyring`,
    );
  }
  return { listed, working };
}

/** Connects the accounts not working now (through the shell), and restarts: all three tabs
 * work. */
async function allThreeWorking() {
  const { working } = await agreeing();
  for (const [address, name] of Object.entries(ACCOUNTS)) {
    if (!working.includes(name)) await command("connect", { server: "local", address, login: ANNA, password: PASSWORD });
  }
  await ended();
  await relaunch();
  const after = await agreeing();
  assert.deepEqual(after.working.sort(), [...NAMES].sort());
}

async function fillSignInForm(address) {
  await click("[data-test=new-tab]");
  await type(inFront("[data-test=address]"), address);
  await type(inFront("[data-test=login]"), ANNA);
  await type(inFront("[data-test=password]"), PASSWORD);
}

async function failed(what) {
  if (browser) await screenshot(browser, `failure-faults-${what}`).catch(() => undefined);
}

// --- the scenarios -------------------------------------------------------------------------------

test("killed during a sign-in, the next start leaves no secret without its account", async (t) => {
  try {
    await relaunch();
    await registerVerified(ANNA, PASSWORD);
    await command("sign_in_profile", { server: "local", login: ANNA, password: PASSWORD });
    for (const [address, name] of Object.entries(ACCOUNTS)) await command("picking_create_account", { address, name });
    await command("picking_done");
    for (const address of ["acme", "globex"]) {
      await fillSignInForm(address);
      const kill = killAtSecretCall([["Collection", "CreateItem"]]);
      await kill.armed;
      await click(inFront("[data-test=log-in]")).catch(() => undefined); // the window may go first
      await kill.killed;
      await ended();
      await relaunch();
      const { listed } = await agreeing();
      const kept = listed.some((a) => a.address === address);
      t.diagnostic(`killed as the keyring took ${address}'s secret: ${kept ? "its sign-in was saved" : "its entry was signed out and erased at start"}`);
    }
  } catch (error) {
    await failed("sign-in");
    throw error;
  }
});

test("killed during a delete, the next start finishes it", async (t) => {
  try {
    for (const point of ["mark", "erase"]) {
      if (!listedNow().some((a) => a.address === "globex")) {
        await command("connect", { server: "local", address: "globex", login: ANNA, password: PASSWORD });
      }
      await ended();
      await relaunch();
      await agreeing();
      const globex = listedNow().find((a) => a.address === "globex");
      await closeTab("Globex");
      await click("[data-test=new-tab]");
      await click(inFront("[data-test=connected-account][data-address=globex] [data-test=delete]"));
      await visible(inFront("[data-test=confirm-delete]"));
      const kill = point === "mark" ? killAtDeleteMark(globex.account_id) : killAtSecretCall([["Item", "Delete"]]);
      await kill.armed;
      await click(inFront("[data-test=confirm-delete-yes]")).catch(() => undefined);
      t.diagnostic(`killed at ${await kill.killed}`);
      await ended();
      await relaunch();
      const { listed } = await agreeing();
      assert.ok(!listed.some((a) => a.address === "globex"), "the delete is finished: Globex is gone from the list");
      assert.equal(keyringEntry(keyOf(globex)), "", "and from the keyring");
      assert.ok(!keyringUsernames().some((k) => k.includes(globex.account_id)), "nothing of it is kept");
    }
  } catch (error) {
    await failed("delete");
    throw error;
  }
});

test("killed during a restore of three tabs, the next start agrees", async (t) => {
  try {
    await allThreeWorking();
    // The calls of a start: the keyring searched once, then for each tab its token read
    // (SearchItems, GetSecret), refreshed on the server, and the new one stored (SearchItems,
    // SetSecret). Killed at the 4th: after the first tab's refresh, before its token was stored.
    const calls = [
      ["Service", "SearchItems"],
      ["Item", "GetSecret"],
      ["Item", "SetSecret"],
    ];
    for (const count of [4, 5, 8]) {
      await ended();
      const kill = killAtSecretCall(calls, count);
      await kill.armed;
      await relaunch();
      t.diagnostic(`killed at call ${count} (${await kill.killed})`);
      await ended();
      await relaunch();
      const { working } = await agreeing();
      t.diagnostic(`working after it: ${working.join(", ") || "none"}`);
      for (const [address, name] of Object.entries(ACCOUNTS)) {
        if (!working.includes(name)) await command("connect", { server: "local", address, login: ANNA, password: PASSWORD });
      }
    }
    await ended();
    await relaunch();
    const { working } = await agreeing();
    assert.deepEqual(working.sort(), [...NAMES].sort(), "signed in again where asked, every tab works after a clean start");
  } catch (error) {
    await failed("restore");
    throw error;
  }
});

/** The app's entries in the keyring, with their secrets. */
function keyringNow() {
  return Object.fromEntries(keyringUsernames().sort().map((k) => [k, keyringEntry(k)]));
}

/** Every task of `address`, read page by page as another device sees them. */
async function allTasks(server, address, access) {
  const titles = [];
  let next = new URL(`api/v1/accounts/${address}/tasks?limit=100`, server);
  while (next) {
    const response = await fetch(next, { headers: { authorization: `Bearer ${access}` } });
    assert.equal(response.status, 200);
    const body = await response.json();
    titles.push(...(body.items ?? body).map((task) => task.title));
    const link = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get("link") ?? "");
    next = link ? new URL(link[1], server) : null;
  }
  return titles;
}

test("a full disk: writes are refused plainly, nothing is lost, the keyring stays", async (t) => {
  if (!disk) {
    t.skip(NO_DISK);
    return;
  }
  const filler = path.join(data, "filler");
  try {
    const { local_server: server } = await command("app_info");
    await selectTab("Acme");
    await click(inFront("[data-test=section-tasks]"));
    await type(inFront("[data-test=task-title]"), "Before the disk filled");
    await click(inFront("[data-test=add-task]"));
    await visible(inFront("[data-test=task]"), { text: "Before the disk filled" });
    // Another device of Anna's writes too, until the server refuses.
    const phone = (await api(server, "POST", "api/v1/auth/login", { login: ANNA, password: PASSWORD, device_name: "Phone" })).body;
    const keyring = keyringNow();
    const list = readFileSync(accountsFile, "utf8");

    // Something else fills the disk.
    const fd = openSync(filler, "w");
    const block = Buffer.alloc(64 * 1024, 7);
    try {
      for (;;) writeSync(fd, block);
    } catch (error) {
      assert.equal(error.code, "ENOSPC");
    } finally {
      closeSync(fd);
    }
    const acknowledged = ["Before the disk filled"];
    for (let i = 0; ; i += 1) {
      assert.ok(i < 5000, "the disk never filled");
      const created = await api(server, "POST", "api/v1/accounts/acme/tasks", { title: `Phone ${i}` }, phone.access_token);
      if (created.status === 201) {
        acknowledged.push(`Phone ${i}`);
        continue;
      }
      assert.equal(created.status, 503, JSON.stringify(created.body));
      assert.equal(created.body.code, "unavailable");
      break;
    }

    // The app says plainly why its write is refused.
    await type(inFront("[data-test=task-title]"), "While the disk is full");
    await click(inFront("[data-test=add-task]"));
    const said = await textOf(inFront("[data-test=problem]"), /disk is full/);
    assert.match(said, /nothing was changed/i);
    await screenshot(browser, "faults-full-disk");
    // So does a sign-in, and no secret is kept for it.
    await fillSignInForm("initech");
    await click(inFront("[data-test=log-in]"));
    await textOf(inFront("[data-test=problem]"), /disk is full/);
    await closeTab();
    assert.deepEqual(keyringNow(), keyring, "the keyring is as it was");
    assert.equal(readFileSync(accountsFile, "utf8"), list, "the account list is as it was");

    // Room again: the same write goes through, and every acknowledged task is there.
    rmSync(filler);
    await selectTab("Acme");
    await type(inFront("[data-test=task-title]"), "While the disk is full");
    await click(inFront("[data-test=add-task]"));
    await visible(inFront("[data-test=task]"), { text: "While the disk is full" });
    acknowledged.push("While the disk is full");
    const listed = await allTasks(server, "acme", phone.access_token);
    assert.deepEqual(listed.sort(), acknowledged.sort(), "every acknowledged task, and no other");
  } catch (error) {
    await failed("full-disk");
    throw error;
  } finally {
    rmSync(filler, { force: true });
  }
});

test("a read-only data folder: the app starts, says so, and leaves the keyring as it was", async (t) => {
  if (!disk) {
    t.skip(NO_DISK);
    return;
  }
  let readOnly = false;
  try {
    await ended();
    const keyring = keyringNow();
    const list = readFileSync(accountsFile, "utf8");
    // Refused while a file on it is open for writing: WebKit's helper processes can outlive
    // the app's own by a moment.
    readOnly = await waitFor(() => spawnSync("mount", ["-o", "remount,ro", data], { stdio: "ignore" }).status === 0, {
      message: "the data folder to be remounted read-only",
    });
    await relaunch();
    await textOf("[data-test=data-problem]", /cannot write to its data folder/);
    await waitForTab("Acme");
    await selectTab("Acme");
    // The tab says what keeps it from working; it does not ask for a sign-in.
    await visible(inFront("[data-test=tab-error]"));
    await screenshot(browser, "faults-read-only");
    assert.ok(processesOf(appBinary).length > 0, "the app runs");
    assert.deepEqual(keyringNow(), keyring, "the keyring is as it was");
    assert.equal(readFileSync(accountsFile, "utf8"), list);

    await ended();
    readOnly = spawnSync("mount", ["-o", "remount,rw", data], { stdio: "inherit" }).status !== 0;
    await relaunch();
    const { working } = await agreeing();
    assert.deepEqual(working.sort(), [...NAMES].sort(), "writable again, every tab works as before");
    assert.ok(!(await shown("[data-test=data-problem]")));
  } catch (error) {
    await failed("read-only");
    throw error;
  } finally {
    if (readOnly) spawnSync("mount", ["-o", "remount,rw", data], { stdio: "ignore" });
    await ended();
  }
});
