// Signing in to a tab without a password: a QR code on screen, read by a "phone" (a second
// client that decodes the screenshot and approves with the number it shows), and single
// sign-on through the real OpenID provider's login page in the system browser stand-in.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { browserStandIn, launch, scanQr, screenshot, startDriver, startProvider, stopDriver } from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";

before(() => startDriver({ LANYARD_BROWSER: browserStandIn, LANYARD_BROWSER_LOGIN: "anna" }));
after(stopDriver);

let browser;
const inFront = (selector) => `section.page:not([hidden]) ${selector}`;
async function visible(selector, timeout = 20_000) {
  const found = await browser.$(selector);
  await found.waitForDisplayed({ timeout });
  return found;
}
const click = async (selector) => (await visible(selector)).click();
const type = async (selector, text) => (await visible(selector)).setValue(text);
async function tabNames() {
  // textContent: WebKitWebDriver reads ellipsised text as empty.
  return browser.$$("[data-test=tab] .name").map(async (t) => (await t.getProperty("textContent")).trim());
}
async function waitForTab(name) {
  await browser.waitUntil(async () => (await tabNames()).includes(name), { timeout: 30_000, timeoutMsg: `no tab ${name}` });
}

/** A shell command, as the UI would call it (setup only: the flows under test use the UI). */
async function command(cmd, args = {}) {
  const answer = await browser.executeAsync(
    (cmd, args, done) => window.__TAURI_INTERNALS__.invoke(cmd, args).then((ok) => done({ ok }), (err) => done({ err })),
    cmd,
    args,
  );
  if (answer.err) throw new Error(`${cmd}: ${JSON.stringify(answer.err)}`);
  return answer.ok;
}

async function api(server, method, path, body, access) {
  const response = await fetch(new URL(path, server), {
    method,
    headers: { "content-type": "application/json", ...(access ? { authorization: `Bearer ${access}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

test("QR sign-in approved from a phone, and single sign-on in the browser", async () => {
  browser = await launch();
  try {
    await visible("[data-test=log-in]");
    const { local_server: server } = await command("app_info");
    await command("register", {
      server: "local",
      request: { email: ANNA, phone: null, password: PASSWORD, first_name: "Anna", last_name: null },
    });
    const [mail] = await command("inbox");
    const token = new URL(mail.links[0]).searchParams.get("token");
    assert.equal((await api(server, "POST", "api/v1/auth/verify-email", { token })).status, 200);
    await command("sign_in_profile", { server: "local", login: ANNA, password: PASSWORD });
    await command("picking_create_account", { address: "acme", name: "Acme" });
    await command("picking_done");

    // --- QR: the phone reads the code off the screen and picks the number shown -------------
    const phone = (await api(server, "POST", "api/v1/auth/login", { login: ANNA, password: PASSWORD, device_name: "Phone" })).body;
    await click(inFront("[data-test=mode-qr]"));
    const code = await visible(inFront("[data-test=qr-code]"));
    await visible(inFront("[data-test=countdown]"));
    await screenshot(browser, "09-qr-sign-in");
    let url = await scanQr(code);
    assert.match(url, /\/qr\/[A-Za-z0-9_-]{22,}$/, "the QR code holds the approval page, no secret");
    // A denied request tells the desktop why, and a new code takes its place.
    let id = url.split("/").pop();
    assert.equal((await api(server, "POST", `api/v1/qr/${id}/deny`, null, phone.access_token)).status, 204);
    await visible(inFront("[data-test=qr-ended]"));
    await browser.waitUntil(async () => (await scanQr(await browser.$(inFront("[data-test=qr-code]")))) !== url, {
      timeout: 20_000,
      timeoutMsg: "a new QR code after the denial",
    });
    url = await scanQr(await browser.$(inFront("[data-test=qr-code]")));
    id = url.split("/").pop();
    const shown = Number(await (await browser.$(inFront("[data-test=match-number]"))).getText());
    const details = await api(server, "GET", `api/v1/qr/${id}`, null, phone.access_token);
    assert.equal(details.status, 200);
    assert.ok(details.body.choices.includes(shown), "the phone offers the number on screen");
    const approved = await api(server, "POST", `api/v1/qr/${id}/approve`, { number: shown, account: "acme" }, phone.access_token);
    assert.equal(approved.status, 204);
    await waitForTab("Acme");
    await visible(inFront("[data-test=overview]"));

    // --- single sign-on: the admin sets up the provider, then a fresh sign-in uses it --------
    const issuer = await startProvider(new URL("api/v1/sso/callback", server).href, {
      anna: { email: ANNA, email_verified: true },
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
    await waitForTab("Acme");
    await visible(inFront("[data-test=overview]"));
    await screenshot(browser, "10-after-single-sign-on");
  } catch (error) {
    await screenshot(browser, `failure-${path.basename(import.meta.filename, ".test.mjs")}`).catch(() => undefined);
    throw error;
  } finally {
    await browser.deleteSession();
  }
});
