// lanyard:// links reach the running app (a second launch hands them over, as the desktop
// does when a link is clicked): a QR sign-in of another computer, opened from the server's
// approval page ("Open in Lanyard"), is approved here with the profile's tab, by the number
// that computer shows; a wrong number cancels the request. A link that starts the app (it was
// not running) opens its page in place of the empty one. (The installed package's
// registration of the scheme is install.test.mjs.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  api,
  appBinary,
  click,
  inFront,
  launch,
  openNewAccount,
  registerVerified,
  screenshot,
  startDriver,
  tabNames,
  stopDriver,
  textOf,
  visible,
  waitFor,
  waitForActiveTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";

before(() => startDriver());
after(() => stopDriver());

test("a link that starts the app opens its page at once, in place of the empty one", async () => {
  const link = new URL("lanyard://sign-in");
  link.searchParams.set("server", "https://id.example.com");
  link.searchParams.set("address", "globex");
  const browser = await launch(appBinary, [link.href]);
  try {
    await textOf(inFront("[data-test=link-server]"), "https://id.example.com");
    await waitFor(async () => (await browser.$(inFront("[data-test=address]")).getValue().catch(() => "")) === "globex", {
      message: "the sign-in page of globex",
    });
    // A fresh start (no tabs yet): the link's page is the only one.
    assert.deepEqual(await tabNames(), ["New tab"], "one page: the link's");
  } finally {
    await browser.deleteSession();
  }
});

test("another computer's QR sign-in is approved from a link, with the number it shows", async () => {
  const browser = await launch();
  try {
    const server = await registerVerified(ANNA, PASSWORD);
    await openNewAccount(ANNA, PASSWORD, "Acme", "acme");

    // The other computer shows a QR code (and a number); its approval page's link opens here.
    const open = (id) => {
      const link = new URL("lanyard://qr");
      link.searchParams.set("server", new URL(server).origin);
      link.searchParams.set("id", id);
      execFileSync(appBinary, [link.href], { env: process.env, timeout: 60_000 });
    };
    const laptop = (await api(server, "POST", "api/v1/qr", { device_name: "Laptop" })).body;
    open(laptop.id);
    await waitForActiveTab("Approve a sign-in");
    await textOf(inFront("[data-test=approve-who]"), "127.0.0.1");
    await screenshot(browser, "links-approve");
    await click(inFront(`[data-test=approve-number][data-number="${laptop.match_number}"]`));
    await textOf(inFront("[data-test=approve-outcome]"), "Approved");
    const polled = await api(server, "POST", `api/v1/qr/${laptop.id}/poll`, { poll_token: laptop.poll_token });
    assert.equal(polled.status, 200, "the other computer is signed in");
    assert.ok(polled.body.access_token);

    // A wrong number cancels the request: that computer is not signed in.
    const relayed = (await api(server, "POST", "api/v1/qr", { device_name: "Somebody's laptop" })).body;
    open(relayed.id);
    await visible(inFront("[data-test=approve-number]"));
    const numbers = await browser.$$(`section.page:not([hidden]) [data-test=approve-number]`).map((b) => b.getAttribute("data-number"));
    const wrong = numbers.find((n) => Number(n) !== relayed.match_number);
    await click(inFront(`[data-test=approve-number][data-number="${wrong}"]`));
    await visible(inFront("[role=alert]"));
    const refused = await api(server, "POST", `api/v1/qr/${relayed.id}/poll`, { poll_token: relayed.poll_token });
    assert.equal(refused.status, 410, "cancelled");
  } finally {
    await browser.deleteSession();
  }
});
