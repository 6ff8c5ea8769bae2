// Signing in to a tab without a password: a QR code on screen, read by a "phone" (a second
// client that decodes the screenshot and approves with the number it shows), and single
// sign-on through the real OpenID provider's login page in the system browser stand-in.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  api,
  browserStandIn,
  click,
  command,
  inFront,
  launch,
  registerVerified,
  revokeElsewhere,
  scanQr,
  screenshot,
  startDriver,
  startProvider,
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

// 127.0.0.2 stands in for this computer's address on the local network ("Let a phone on this
// network sign in"): tests send traffic to loopback addresses only.
const LAN = "127.0.0.2";
before(() => startDriver({ LANYARD_BROWSER: browserStandIn, LANYARD_BROWSER_LOGIN: "anna", LANYARD_SHARE_ADDRESS: LAN }));
after(stopDriver);

let browser;

test("QR sign-in approved from a phone, and single sign-on in the browser", async () => {
  browser = await launch();
  try {
    await visible("[data-test=log-in]");
    const server = await registerVerified(ANNA, PASSWORD);
    await command("sign_in_profile", { server: "local", login: ANNA, password: PASSWORD });
    await command("picking_create_account", { address: "acme", name: "Acme" });
    await command("picking_done");

    // --- QR: the phone reads the code off the screen and picks the number shown -------------
    const phone = (await api(server, "POST", "api/v1/auth/login", { login: ANNA, password: PASSWORD, device_name: "Phone" })).body;
    await click(inFront("[data-test=mode-qr]"));
    const code = inFront("[data-test=qr-code]");
    await visible(code);
    await visible(inFront("[data-test=countdown]"));
    await screenshot(browser, "09-qr-sign-in");
    let url = await scanQr(code);
    assert.match(url, /\/qr\/[A-Za-z0-9_-]{22,}$/, "the QR code holds the approval page, no secret");
    // A denied request tells the desktop why, and a new code takes its place.
    let id = url.split("/").pop();
    assert.equal((await api(server, "POST", `api/v1/qr/${id}/deny`, null, phone.access_token)).status, 204);
    await visible(inFront("[data-test=qr-ended]"));

    // --- a phone on the network: the code names this computer's network address -------------
    // Off by default: the codes so far named the loopback address, which a phone cannot open.
    assert.equal(new URL(url).hostname, "127.0.0.1");
    await click(inFront("[data-test=share-with-phones]"));
    await textOf(inFront("[data-test=sharing-until]"), `${LAN}:`);
    // The new code and the number beside it, read while the code stays the same.
    let shown;
    url = await waitFor(
      async () => {
        const before = await scanQr(code);
        if (before === url || new URL(before).hostname !== LAN) return false;
        shown = Number(await textOf(inFront("[data-test=match-number]")));
        return (await scanQr(code)) === before && before;
      },
      { message: "a new QR code naming the network address" },
    );
    // The phone opens it over the network: it signs in there first, then approves.
    const lan = new URL("/", url).href;
    const phoneOnLan = (await api(lan, "POST", "api/v1/auth/login", { login: ANNA, password: PASSWORD, device_name: "Phone" })).body;
    id = url.split("/").pop();
    const details = await api(lan, "GET", `api/v1/qr/${id}`, null, phoneOnLan.access_token);
    assert.equal(details.status, 200);
    assert.ok(details.body.choices.includes(shown), "the phone offers the number on screen");
    // Only the approval's calls answer on the network address.
    assert.equal((await api(lan, "GET", "api/v1/me", null, phoneOnLan.access_token)).status, 404);
    const approved = await api(lan, "POST", `api/v1/qr/${id}/approve`, { number: shown, account: "acme" }, phoneOnLan.access_token);
    assert.equal(approved.status, 204);
    await waitForTab("Acme");
    await visible(inFront("[data-test=overview]"));
    // Sharing ends when asked (else after ten minutes): the network address closes.
    assert.equal((await command("phone_sharing")).address.split(":")[0], LAN);
    await command("stop_sharing");
    assert.equal(await command("phone_sharing"), null);
    await assert.rejects(fetch(new URL("healthz", lan)), "nothing listens on the network address any more");

    // --- single sign-on: the admin sets up the provider, then a fresh sign-in uses it --------
    const issuer = await startProvider(new URL("api/v1/sso/callback", server).href, {
      // The company knows Anna by her work address, which is not her Lanyard login.
      anna: { email: "anna.k@acme-corp.example", email_verified: true },
    });
    await click(inFront("[data-test=section-settings]"));
    await type(inFront("[data-test=sso-issuer]"), issuer);
    await type(inFront("[data-test=sso-client-id]"), "lanyard");
    await type(inFront("[data-test=sso-client-secret]"), "provider-issued-secret");
    await click(inFront("[data-test=save-sso]"));
    await visible(inFront(".notice"));
    // Forget the QR session entirely, so only single sign-on can bring the tab back.
    const [acme] = (await command("app_info")).tabs;
    await command("delete", { tab: { server: acme.server, account_id: acme.account_id } });
    await browser.refresh();
    await visible(inFront("[data-test=mode-sso]"));
    assert.ok(!(await tabNames()).includes("Acme"));
    await click(inFront("[data-test=mode-sso]"));
    await type(inFront("[data-test=address]"), "acme");
    await click(inFront("[data-test=sso-continue]"));
    // The first time, the company's provider is not proof of Anna's profile, and its address
    // names none: she enters her login and password once, and the sign-in in the browser runs
    // again with the identity linked.
    await type(inFront("[data-test=link-social] [data-test=link-login]"), ANNA);
    await type(inFront("[data-test=link-social] [data-test=link-password]"), PASSWORD);
    await click(inFront("[data-test=link-submit]"));
    await waitForTab("Acme");
    await visible(inFront("[data-test=overview]"));
    await screenshot(browser, "10-after-single-sign-on");

    // --- the session revoked on another device: the tab signs in again in place, by SSO ------
    await revokeElsewhere(server, ANNA, PASSWORD);
    await click("[data-test=new-tab]");
    await click("[data-test=tab]", { textIn: ".name", exact: true, text: "Acme" });
    await visible(inFront("[data-test=sign-in-again]"));
    await click(inFront("[data-test=again-sso]"));
    await visible(inFront("[data-test=overview]"));
    assert.deepEqual((await tabNames()).filter((name) => name === "Acme"), ["Acme"]);
  } catch (error) {
    await screenshot(browser, `failure-${path.basename(import.meta.filename, ".test.mjs")}`).catch(() => undefined);
    throw error;
  } finally {
    await browser.deleteSession();
  }
});
