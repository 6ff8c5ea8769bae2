// Social sign-in to a tab from the desktop, through the real OpenID provider's pages in the
// system browser stand-in: the identity's email is already Anna's login, so the app asks for
// her password once to connect it (one person, one profile), then signs in to the tab. Then
// the profile page connects a second provider (plain OAuth2) the same way, in the browser.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import {
  absent,
  browserStandIn,
  click,
  command,
  dataDir,
  inFront,
  launch,
  menu,
  registerVerified,
  screenshot,
  startDriver,
  startProvider,
  stopDriver,
  type,
  visible,
  waitForTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const ANNA = "anna@example.com";

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

before(async () => {
  // The built-in server comes back on the port it had (so mailed links keep working): give
  // it one now, so the provider can be told where to send the browser back.
  const port = await freePort();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, "server-port"), String(port));
  const issuer = await startProvider(`http://127.0.0.1:${port}/api/v1/sso/callback`, {
    anna: { email: ANNA, email_verified: true },
  });
  await startDriver({
    LANYARD_BROWSER: browserStandIn,
    LANYARD_BROWSER_LOGIN: "anna",
    // The same provider once more as plain OAuth2, to connect from the profile page.
    LANYARD_SOCIAL: [
      `testid=${issuer},lanyard,provider-issued-secret`,
      `hub=oauth2:${issuer}/auth|${issuer}/token|${issuer}/me|openid email,lanyard,provider-issued-secret`,
    ].join(";"),
  });
});
after(stopDriver);

let browser;

test("a social identity is connected with the password once, then signs in to a tab", async () => {
  browser = await launch();
  try {
    await visible("[data-test=log-in]");
    await registerVerified(ANNA, PASSWORD);
    await command("sign_in_profile", { server: "local", login: ANNA, password: PASSWORD });
    await command("picking_create_account", { address: "acme", name: "Acme" });
    await command("picking_done");

    await type(inFront("[data-test=address]"), "acme");
    await click(inFront("[data-test=social][data-provider=testid]"));
    await visible(inFront("[data-test=link-social]"));
    await screenshot(browser, "12-connect-social-identity");
    await type(inFront("[data-test=link-password]"), PASSWORD);
    await click(inFront("[data-test=link-submit]"));
    await waitForTab("Acme");
    await visible(inFront("[data-test=overview]"));

    const [acme] = (await command("app_info")).tabs;
    const profile = await command("me", { tab: { server: acme.server, account_id: acme.account_id } });
    assert.deepEqual(
      profile.social.map((s) => s.provider),
      ["testid"],
      "the identity is connected to Anna's profile, not a second one",
    );

    // The profile page connects another provider's identity (plain OAuth2) in the browser.
    await menu("[data-test=menu-profile]");
    await click(inFront("[data-test=connect-social][data-provider=hub]"));
    await visible(inFront("[data-test=notice]"));
    await absent(inFront("[data-test=connect-social][data-provider=hub]"));
    await screenshot(browser, "13-profile-social");
    const after = await command("me", { tab: { server: acme.server, account_id: acme.account_id } });
    assert.deepEqual(after.social.map((s) => s.provider).sort(), ["hub", "testid"]);
  } catch (error) {
    await screenshot(browser, "failure-social").catch(() => undefined);
    throw error;
  } finally {
    await browser.deleteSession();
  }
});
