// Flows a new user got stuck in, each as it went wrong before: a tab whose session was
// revoked on another device asks for a sign-in in place (password, or a QR code the phone
// approves by the account's id) instead of an error with a "Try again" that never helps; and
// at the smallest window, ten tabs keep the one in front and `+` in view. Beside them: an
// address with a space, a profile bound to no account, "Still can't sign in?", the tab menu.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { Key } from "webdriverio";
import {
  absent,
  accessibilityProblems,
  api,
  artifacts,
  click,
  createAccount,
  inFront,
  inboxMessage,
  launch,
  listAccounts,
  registerVerified,
  revokeElsewhere,
  scanQr,
  screenshot,
  selectTab,
  startDriver,
  stopDriver,
  tabNames,
  textOf,
  type,
  visible,
  waitFor,
  waitForActiveTab,
  waitForTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";

before(startDriver);
after(stopDriver);

let browser;

/** Brings the Acme tab back to the front (it reloads then) and waits for its sign-in card. */
async function backToRevokedTab() {
  await click("[data-test=new-tab]");
  await selectTab("Acme");
  await visible(inFront("[data-test=sign-in-again]"));
  await absent(inFront("[data-test=tab-error]"));
}

/** The QR code on screen and the number beside it, read while the code stays the same. */
async function readQr() {
  const code = inFront("[data-test=qr-code]");
  return waitFor(
    async () => {
      const url = await scanQr(code);
      const shown = Number(await textOf(inFront("[data-test=match-number]")));
      return (await scanQr(code)) === url && { id: url.split("/").pop(), shown };
    },
    { message: "a steady QR code" },
  );
}

/** Where the element matching `selector` is, and the strip's and the window's edges. */
function placement(selector) {
  return browser.execute((selector) => {
    const box = document.querySelector(selector).getBoundingClientRect();
    const strip = document.querySelector("[role=tablist]").getBoundingClientRect();
    return { left: box.left, right: box.right, stripLeft: strip.left, stripRight: strip.right, width: window.innerWidth };
  }, selector);
}

/** Waits until `selector` is whole on screen (and inside the strip's visible part, for a tab). */
async function inView(selector, what, { inStrip = true } = {}) {
  await waitFor(
    async () => {
      const at = await placement(selector);
      const onScreen = at.left >= 0 && at.right <= at.width;
      return onScreen && (!inStrip || (at.left >= at.stripLeft - 1 && at.right <= at.stripRight + 1));
    },
    { message: `${what} scrolled into view` },
  );
}

/** What axe-core finds on the screen in front, in the light and the dark palette (each also
 * saved as a screenshot); gathered, so one run reports every screen. */
const inaccessible = [];
async function checkScreen(name) {
  for (const palette of ["light", "dark"]) {
    await browser.execute((palette) => (document.documentElement.dataset.theme = palette), palette);
    await screenshot(browser, `screen-${name}-${palette}`);
    for (const problem of await accessibilityProblems()) inaccessible.push(`${name} (${palette}): ${problem}`);
  }
  await browser.execute(() => (document.documentElement.dataset.theme = "light"));
}

test("a revoked tab signs in again in place, and ten tabs stay in reach", async () => {
  browser = await launch();
  try {
    await visible(inFront("[data-test=log-in]"));
    const server = await registerVerified(ANNA, PASSWORD);
    await checkScreen("sign-in");

    // --- an address with a space: a hint with the fix, and no trip to the server -----------
    await type(inFront("[data-test=address]"), "acme corp");
    await textOf(inFront("[data-test=address-hint]"), "no spaces");
    await click(inFront("[data-test=log-in]"));
    await waitFor(() => browser.execute(() => document.activeElement?.dataset.test === "address"), {
      message: "the focus on the address, not a request",
    });
    await absent(inFront("[data-test=problem]"));
    await click(inFront("[data-test=address-fix]"));
    assert.equal(await browser.execute(() => document.querySelector("section.page:not([hidden]) [data-test=address]").value), "acme-corp");

    // --- a profile bound to no account says why, and offers to create one -------------------
    await listAccounts(ANNA, PASSWORD);
    await textOf(inFront("[data-test=no-account]"), "bound to no account");
    await checkScreen("no-account");
    await createAccount("Acme", "acme");
    await click(inFront("[data-test=pick][data-address=acme]"));
    await waitForTab("Acme");
    await visible(inFront("[data-test=overview]"));

    // --- revoked on another device: the tab asks for the password, in place ----------------
    await revokeElsewhere(server, ANNA, PASSWORD);
    await backToRevokedTab();
    await checkScreen("sign-in-again");
    // A wrong password: "Still can't sign in?" puts the password first, with its next step.
    await type(inFront("[data-test=password]"), "not the password");
    await click(inFront("[data-test=sign-in-again-submit]"));
    await visible(inFront("[data-test=problem][data-code=invalid_credentials]"));
    await click(inFront("[data-test=still-stuck] summary"));
    await checkScreen("still-stuck");
    const [first] = await browser.execute(() =>
      [...document.querySelectorAll("section.page:not([hidden]) [data-test=stuck-step]")].map((li) => li.dataset.step));
    assert.equal(first, "password");
    await type(inFront("[data-test=password]"), PASSWORD);
    await click(inFront("[data-test=sign-in-again-submit]"));
    await visible(inFront("[data-test=overview]"));
    await waitForActiveTab("Acme");

    // --- again, and this time a phone approves a QR code, naming the account by its id -----
    const phone = await revokeElsewhere(server, ANNA, PASSWORD);
    await backToRevokedTab();
    await click(inFront("[data-test=again-qr]"));
    const qr = await readQr();
    // Without an account the approval is refused and nothing is spent: the same code waits.
    const unchosen = await api(server, "POST", `api/v1/qr/${qr.id}/approve`, { number: qr.shown }, phone.access_token);
    assert.equal(unchosen.status, 422);
    assert.equal(unchosen.body.code, "invalid_input");
    const [acme] = (await api(server, "GET", "api/v1/me/accounts", null, phone.access_token)).body;
    const approved = await api(server, "POST", `api/v1/qr/${qr.id}/approve`, { number: qr.shown, account: acme.id }, phone.access_token);
    assert.equal(approved.status, 204, JSON.stringify(approved.body));
    await visible(inFront("[data-test=overview]"));
    assert.deepEqual(
      (await tabNames()).filter((name) => name === "Acme"),
      ["Acme"],
      "the same tab signed in again, not a second one",
    );

    // --- every section of the tab, and the profile page, checked by axe in both palettes ---
    await checkScreen("overview");
    for (const section of ["employees", "tasks", "settings"]) {
      await click(inFront(`[data-test=section-${section}]`));
      await visible(inFront(`[data-test=${section}]`));
      await checkScreen(section);
    }
    // Anna's contact email, edited on her own card, beside the login she signs in with.
    await click(inFront("[data-test=section-employees]"));
    await click(inFront("[data-test=employee] [data-test=contact-edit]"));
    await textOf(inFront("#contact-hint"), `They sign in with ${ANNA}`);
    await checkScreen("contact-email");
    await type(inFront("[data-test=contact-input]"), "anna.k@acme-corp.example");
    await click(inFront("[data-test=contact-save]"));
    await textOf(inFront("[data-test=employee] [data-test=contact-email]"), "anna.k@acme-corp.example");
    await click(inFront("[data-test=section-overview]"));
    await click("[data-test=avatar]");
    await checkScreen("avatar-menu");
    await click("[data-test=menu-profile]");
    await waitForActiveTab("Profile");
    await checkScreen("profile");
    // A login phone added: the password, then the code the new number was texted.
    await type(inFront("[data-test=new-phone]"), "+44 7700 900123");
    await type(inFront("[data-test=phone-password]"), PASSWORD);
    await click(inFront("[data-test=change-phone]"));
    const sms = await inboxMessage("+447700900123");
    const [code] = /\b\d{6}\b/.exec(sms.text) ?? [];
    assert.ok(code, `a code in ${sms.text}`);
    await checkScreen("phone-code");
    await type(inFront("[data-test=phone-code]"), code);
    await click(inFront("[data-test=confirm-phone]"));
    await textOf(inFront("[data-test=profile-phone]"), "+447700900123");
    // A photo from a file: a file that is no image is refused beside the input; a real one
    // goes up at once, the server keeps its middle square at 256 px, and the avatar shows it.
    const notAPhoto = path.join(artifacts, "not-a-photo.png");
    writeFileSync(notAPhoto, "these bytes are no picture");
    await (await browser.$(inFront("[data-test=profile-photo]"))).addValue(notAPhoto);
    await textOf(inFront("[data-test=field-problem][data-field=photo]"), "PNG");
    const photo = path.join(artifacts, "photo.png");
    const wide = new PNG({ width: 600, height: 400 });
    for (let i = 0; i < wide.data.length; i += 4) wide.data.set([(i / 4) % 600 < 300 ? 200 : 30, 90, 160, 255], i);
    writeFileSync(photo, PNG.sync.write(wide));
    await (await browser.$(inFront("[data-test=profile-photo]"))).addValue(photo);
    await textOf(inFront("[data-test=notice]"), "Photo saved.");
    const avatar = await waitFor(() => browser.execute(() => document.querySelector("[data-test=avatar-photo]")?.src), {
      message: "the photo in the avatar",
    });
    const served = PNG.sync.read(Buffer.from(await (await fetch(avatar)).arrayBuffer()));
    assert.deepEqual([served.width, served.height], [256, 256], "the middle square at 256 px");
    // The tab of the account shows the same photo (the tabs of one login are one profile's).
    await waitFor(() => browser.execute((src) => [...document.querySelectorAll("[data-test=tab-photo]")].some((img) => img.src === src), avatar), {
      message: "the photo on the account's tab",
    });
    await checkScreen("profile-photo");
    await click("[data-test=avatar]");
    await click("[data-test=menu-inbox]");
    await waitForActiveTab("Local inbox");
    await checkScreen("inbox");
    // The switch in the avatar menu picks the dark palette, and it stays picked.
    await click("[data-test=avatar]");
    await click("[data-test=theme-dark]");
    await waitFor(() => browser.execute(() => document.documentElement.dataset.theme === "dark"), { message: "the dark palette" });
    await click("[data-test=avatar]");
    await click("[data-test=theme-system]");
    await selectTab("Acme");

    // --- the tab's "⋯" menu, by keyboard: opens on its first item, Escape gives focus back --
    await click(inFront("[data-test=tab-menu]"));
    await waitFor(() => browser.execute(() => document.activeElement?.dataset.test === "menu-disconnect"), {
      message: "the menu open on its first item",
    });
    await browser.keys(["ArrowUp"]);
    await waitFor(() => browser.execute(() => document.activeElement?.dataset.test === "menu-delete"), {
      message: "ArrowUp to wrap to the last item",
    });
    await browser.keys(["Escape"]);
    await absent(inFront("[role=menu]"));
    await waitFor(() => browser.execute(() => document.activeElement?.dataset.test === "tab-menu"), {
      message: "the focus back on the menu button",
    });

    // --- the smallest window with ten tabs: the one in front and + stay in view ------------
    await browser.setWindowSize(760, 560);
    await waitFor(async () => (await browser.execute(() => window.innerWidth)) <= 800, {
      message: "the window at its smallest",
    });
    while ((await tabNames()).length < 10) await click("[data-test=new-tab]");
    await screenshot(browser, "flows-02-ten-tabs");
    await inView("[data-test=tab][aria-selected=true]", "the newest tab, in front");
    await inView("[data-test=new-tab]", "+", { inStrip: false });
    // Back to the first (Ctrl+1; it is scrolled out of sight): it scrolls into view, and the
    // arrow keys walk the strip (wrapping).
    await browser.keys([Key.Ctrl, "1"]);
    await waitForActiveTab("Acme");
    await inView("[data-test=tab][aria-selected=true]", "the first tab");
    // Tab from the top of the page lands on the tab in front (the only one in the Tab order).
    await browser.execute(() => document.activeElement?.blur());
    await browser.keys([Key.Tab]);
    await waitFor(() => browser.execute(() => document.activeElement?.matches("[data-test=tab][aria-selected=true]")), {
      message: "Tab to reach the tab in front",
    });
    await browser.keys(["ArrowLeft"]);
    await waitFor(async () => (await tabNames()).length === 10 && (await browser.execute(() =>
      document.querySelector("[data-test=tab][aria-selected=true]") === [...document.querySelectorAll("[data-test=tab]")].at(-1))),
      { message: "ArrowLeft on the first tab to bring the last to the front" });
    await inView("[data-test=tab][aria-selected=true]", "the last tab");
    assert.deepEqual(inaccessible, [], "axe-core finds no serious or critical violation");
  } catch (error) {
    await screenshot(browser, `failure-${path.basename(import.meta.filename, ".test.mjs")}`).catch(() => undefined);
    throw error;
  } finally {
    await browser.deleteSession();
  }
});
