// Without a keyring (a D-Bus session where no Secret Service runs, and none can be started),
// the app says so plainly and keeps working for the session; nothing is written in clear
// instead, so after a restart the tab asks for a sign-in.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  click,
  command,
  inFront,
  launch,
  registerVerified,
  screenshot,
  startDriver,
  stopDriver,
  textOf,
  type,
  visible,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";
const dir = mkdtempSync(path.join(os.tmpdir(), "lanyard-no-keyring-"));
let busPid;

/** A private session bus with no service files: nothing can answer as the Secret Service. */
function bareSessionBus() {
  const config = path.join(dir, "bus.conf");
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:tmpdir=${dir}</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>`,
  );
  const started = spawnSync("dbus-daemon", ["--config-file", config, "--fork", "--print-address=1", "--print-pid=1"], {
    encoding: "utf8",
  });
  const [address, pid] = started.stdout.trim().split("\n");
  busPid = Number(pid);
  return address;
}

before(() =>
  startDriver({ DBUS_SESSION_BUS_ADDRESS: bareSessionBus(), LANYARD_DATA_DIR: path.join(dir, "data") }),
);
after(() => {
  stopDriver();
  if (busPid) process.kill(busPid);
});

let browser;

test("without a keyring the app says so, works for the session, and writes no secret", async () => {
  browser = await launch();
  try {
    assert.match(await textOf("[data-test=keyring-problem]"), /keyring is not available/);
    await registerVerified(ANNA, PASSWORD);
    await command("sign_in_profile", { server: "local", login: ANNA, password: PASSWORD });
    await command("picking_create_account", { address: "acme", name: "Acme" });
    await command("picking_done");
    // Signed in through the form, the tab works for this session.
    await type(inFront("[data-test=address]"), "acme");
    await type(inFront("[data-test=login]"), ANNA);
    await type(inFront("[data-test=password]"), PASSWORD);
    await click(inFront("[data-test=log-in]"));
    await visible(inFront("[data-test=overview]"));
    await screenshot(browser, "11-no-keyring");
    const list = readFileSync(path.join(dir, "data", "accounts.json"), "utf8");
    assert.ok(!/token/i.test(list), "the account list holds no token");
  } finally {
    await browser.deleteSession();
  }

  browser = await launch();
  try {
    await visible("[data-test=keyring-problem]");
    await visible(inFront("[data-test=sign-in-again]"));
  } finally {
    await browser.deleteSession();
  }
});
