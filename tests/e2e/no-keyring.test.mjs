// Without a keyring (a D-Bus session where no Secret Service runs, and none can be started),
// the app says so plainly and keeps working for the session; nothing is written in clear
// instead, so after a restart the tab asks for a sign-in.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch, screenshot, startDriver, stopDriver } from "./harness.mjs";

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
const inFront = (selector) => `section.page:not([hidden]) ${selector}`;
async function visible(selector, timeout = 20_000) {
  const found = await browser.$(selector);
  await found.waitForDisplayed({ timeout });
  return found;
}
async function command(cmd, args = {}) {
  const answer = await browser.executeAsync(
    (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((ok) => done({ ok }), (err) => done({ err })),
    cmd,
    args,
  );
  if (answer.err) throw new Error(`${cmd}: ${JSON.stringify(answer.err)}`);
  return answer.ok;
}

test("without a keyring the app says so, works for the session, and writes no secret", async () => {
  browser = await launch();
  try {
    const banner = await visible("[data-test=keyring-problem]");
    assert.match(await banner.getText(), /keyring is not available/);
    const { local_server: server } = await command("app_info");
    await command("register", {
      server: "local",
      request: { email: ANNA, phone: null, password: PASSWORD, first_name: null, last_name: null },
    });
    const [mail] = await command("inbox");
    const token = new URL(mail.links[0]).searchParams.get("token");
    const verified = await fetch(new URL("api/v1/auth/verify-email", server), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token }),
    });
    assert.equal(verified.status, 200);
    await command("sign_in_profile", { server: "local", login: ANNA, password: PASSWORD });
    await command("picking_create_account", { address: "acme", name: "Acme" });
    await command("picking_done");
    // Signed in through the form, the tab works for this session.
    await (await visible(inFront("[data-test=address]"))).setValue("acme");
    await (await visible(inFront("[data-test=login]"))).setValue(ANNA);
    await (await visible(inFront("[data-test=password]"))).setValue(PASSWORD);
    await (await visible(inFront("[data-test=log-in]"))).click();
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
