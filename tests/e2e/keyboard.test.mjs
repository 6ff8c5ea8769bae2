// Lanyard without a mouse: register, sign in, open two accounts, switch, invite, disconnect
// and delete, with keys alone. Each control is reached by Tab (or Shift+Tab) from where the
// focus is, as a keyboard user reaches it; a control that Tab cannot reach fails the test.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { Key } from "webdriverio";
import {
  absent,
  launch,
  screenshot,
  startDriver,
  stopDriver,
  tabNames,
  textOf,
  verifyByMail,
  visible,
  waitFor,
  waitForActiveTab,
  waitForNoTab,
  waitForTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";
/** More Tab presses than any screen of the app has controls. */
const MAX_PRESSES = 60;

before(startDriver);
after(stopDriver);

let browser;

/** Whether the focused element matches `selector` (in the page in front, or a dialog). */
const focusedIs = (selector) =>
  browser.execute((selector) => {
    const focused = document.activeElement;
    return Boolean(focused?.matches(selector) && !focused.closest("section.page[hidden]"));
  }, selector);

/** Presses Tab (Shift+Tab with `back`) until the focus is on `selector`. */
async function tabTo(selector, { back = false } = {}) {
  for (let press = 0; press < MAX_PRESSES; press++) {
    if (await focusedIs(selector)) return;
    await browser.keys(back ? [Key.Shift, Key.Tab] : [Key.Tab]);
  }
  const focused = await browser.execute(() => document.activeElement?.outerHTML.slice(0, 120));
  throw new Error(`Tab never reached ${selector} (last on ${focused})`);
}

/** Tabs to `selector` and presses `key` there (Enter by default). */
async function press(selector, key = Key.Enter) {
  await tabTo(selector);
  await browser.keys([key]);
}

/** Tabs to the field `selector` and types `text` into it (as key strokes into the focused
 * element: WebDriver's key actions drop a repeated letter, as in "anna"). */
async function fill(selector, text) {
  await tabTo(selector);
  const focused = await browser.$(await browser.getActiveElement());
  await focused.addValue(text);
}

/** Ctrl with `key`, as the shortcuts of the tab strip take it. */
const ctrl = (key) => browser.keys([Key.Ctrl, key]);

test("every flow of the day by keyboard alone", async () => {
  browser = await launch();
  try {
    await visible("[data-test=log-in]");

    // --- register, then verify (the mail program's link) ------------------------------------
    await press("[data-test=mode-register]");
    await fill("[data-test=register-login]", ANNA);
    await fill("[data-test=first-name]", "Anna");
    await fill("[data-test=last-name]", "Tester");
    await fill("[data-test=register-password]", PASSWORD);
    await browser.keys([Key.Enter]);
    await visible("section.page:not([hidden]) [data-test=registered]");
    await verifyByMail(ANNA);
    await press("[data-test=go-to-sign-in]");

    // --- sign in by login and password, create two accounts, open the first ----------------
    await press("[data-test=mode-login]");
    await fill("[data-test=login]", ANNA);
    await fill("[data-test=password]", PASSWORD);
    await browser.keys([Key.Enter]);
    for (const [name, address] of [["Acme", "acme"], ["Globex", "globex"]]) {
      await fill("[data-test=new-name]", name);
      await fill("[data-test=new-address]", address);
      await browser.keys([Key.Enter]);
      await visible(`section.page:not([hidden]) [data-test=pick][data-address=${address}]`);
    }
    await press("[data-test=pick][data-address=acme]");
    await waitForTab("Acme");
    await visible("section.page:not([hidden]) [data-test=overview]");

    // --- the second account in a new tab (Ctrl+T), by address ------------------------------
    await ctrl("t");
    await waitForActiveTab("New tab");
    await fill("[data-test=address]", "globex");
    await fill("[data-test=login]", ANNA);
    await fill("[data-test=password]", PASSWORD);
    await browser.keys([Key.Enter]);
    await waitForTab("Globex");
    await visible("section.page:not([hidden]) [data-test=overview]");

    // --- switch: Ctrl+1, Ctrl+Tab, and the arrow keys on the tab strip ----------------------
    await ctrl("1");
    await waitForActiveTab("Acme");
    await browser.keys([Key.Ctrl, Key.Tab]);
    await waitForActiveTab("Globex");
    await tabTo("[data-test=tab][aria-selected=true]", { back: true });
    await browser.keys([Key.ArrowLeft]);
    await waitForActiveTab("Acme");

    // --- invite on Acme --------------------------------------------------------------------
    await press("[data-test=section-employees]");
    await fill("[data-test=invite-email]", "bob@example.com");
    await browser.keys([Key.Enter]);
    await textOf("section.page:not([hidden]) [data-test=employee][data-status=invited]", "bob@example.com");
    await screenshot(browser, "keyboard-01-invited");

    // --- disconnect Acme from its "⋯" menu --------------------------------------------------
    await press("[data-test=tab-menu]");
    await waitFor(() => focusedIs("[data-test=menu-disconnect]"), { message: "the menu open on Disconnect" });
    await browser.keys([Key.Enter]);
    await waitForNoTab("Acme");

    // --- delete it from the connected accounts: the dialog takes the keys -------------------
    await ctrl("t");
    await waitForActiveTab("New tab");
    await press("[data-test=connected-account][data-address=acme] [data-test=delete]");
    await visible("[data-test=confirm-delete]");
    await press("[data-test=confirm-delete-yes]");
    await absent("section.page:not([hidden]) [data-test=connected-account][data-address=acme]");
    assert.deepEqual((await tabNames()).filter((n) => n !== "New tab"), ["Globex"]);
  } catch (error) {
    await screenshot(browser, `failure-${path.basename(import.meta.filename, ".test.mjs")}`).catch(() => undefined);
    throw error;
  } finally {
    await browser.deleteSession();
  }
});
