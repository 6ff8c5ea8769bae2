// A Russian-speaking person on a Russian system: the app follows the system's language, and
// so does everything the built-in server says to them (refusals, the verification mail); the
// profile remembers Russian, and its switch turns the app (and the profile's mail) to English.
// Every main screen is saved as a screenshot and checked by axe-core in Russian, in the light
// and the dark palette (flows.test.mjs does the same in English).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import {
  accessibilityProblems,
  api,
  click,
  createAccount,
  inFront,
  inboxMessage,
  launch,
  screenshot,
  startDriver,
  stopDriver,
  textOf,
  type,
  verifyByMail,
  visible,
  waitFor,
  waitForActiveTab,
  waitForTab,
} from "./harness.mjs";

const PASSWORD = "correct horse battery staple";
const OLGA = "olga@example.com";

// The web view takes its language from the C library's locale (scripts/setup.sh makes it).
before(() => startDriver({ LANG: "ru_RU.UTF-8", LC_ALL: "ru_RU.UTF-8", LANGUAGE: "" }));
after(stopDriver);

let browser;

const inaccessible = [];
async function checkScreen(name) {
  for (const palette of ["light", "dark"]) {
    await browser.execute((palette) => (document.documentElement.dataset.theme = palette), palette);
    await screenshot(browser, `screen-ru-${name}-${palette}`);
    for (const problem of await accessibilityProblems()) inaccessible.push(`${name} (ru, ${palette}): ${problem}`);
  }
  await browser.execute(() => (document.documentElement.dataset.theme = "light"));
}

const pageLanguage = () => browser.execute(() => document.documentElement.lang);

test("a Russian-speaking person does the main flows in Russian, then switches to English", async () => {
  browser = await launch();
  try {
    // --- the system speaks Russian, so does the app ------------------------------------------
    await visible(inFront("[data-test=log-in]"));
    assert.equal(await pageLanguage(), "ru");
    await textOf(inFront("[data-test=log-in]"), "Войти");
    await checkScreen("sign-in");

    // --- registration: a refusal of the server beside its field, in Russian ------------------
    await click(inFront("[data-test=mode-register]"));
    await type(inFront("[data-test=register-login]"), OLGA);
    await type(inFront("[data-test=register-password]"), "password");
    await click(inFront("[data-test=register]"));
    await textOf(inFront("[data-test=field-problem][data-field=password]"), "самых распространённых паролей");
    await checkScreen("register");
    await type(inFront("[data-test=register-password]"), PASSWORD);
    await click(inFront("[data-test=register]"));
    await visible(inFront("[data-test=registered]"));
    // The server heard the app's language: the verification mail is in Russian.
    const mail = await inboxMessage(OLGA);
    assert.equal(mail.subject, "Подтвердите почту для Lanyard");
    const server = await verifyByMail(OLGA);
    await click(inFront("[data-test=go-to-sign-in]"));

    // --- signing in: a wrong password is refused in Russian; no account yet says why ---------
    await click(inFront("[data-test=mode-login]"));
    await type(inFront("[data-test=login]"), OLGA);
    await type(inFront("[data-test=password]"), "not the password");
    await click(inFront("[data-test=list-accounts]"));
    await textOf(inFront("[data-test=problem][data-code=invalid_credentials]"), "Неверный логин или пароль.");
    await checkScreen("wrong-password");
    await type(inFront("[data-test=password]"), PASSWORD);
    await click(inFront("[data-test=list-accounts]"));
    await textOf(inFront("[data-test=no-account]"), "пока не привязан ни к одному аккаунту");
    await checkScreen("no-account");
    await createAccount("Акме", "acme");
    await click(inFront("[data-test=pick][data-address=acme]"));
    await waitForTab("Акме");

    // --- every section of the tab --------------------------------------------------------------
    await visible(inFront("[data-test=overview]"));
    await checkScreen("overview");
    for (const section of ["employees", "tasks", "settings"]) {
      await click(inFront(`[data-test=section-${section}]`));
      await visible(inFront(`[data-test=${section}]`));
      await checkScreen(section);
    }
    // A count in Russian takes its plural form: one rename left is «ещё 1 раз».
    await textOf(inFront("[data-test=settings]"), "ещё 1 раз");

    // --- the local inbox and the profile page; the profile remembers Russian ------------------
    await click("[data-test=avatar]");
    await checkScreen("avatar-menu");
    await click("[data-test=menu-inbox]");
    await waitForActiveTab("Локальные входящие");
    await checkScreen("inbox");
    await click("[data-test=avatar]");
    await click("[data-test=menu-profile]");
    await waitForActiveTab("Профиль");
    await checkScreen("profile");
    const phone = (await api(server, "POST", "api/v1/auth/login", { login: OLGA, password: PASSWORD, device_name: "Phone" })).body;
    const profile = async () => (await api(server, "GET", "api/v1/me", null, phone.access_token)).body;
    assert.equal((await profile()).language, "ru", "registered in Russian, the profile keeps it");

    // --- the switch: the app turns English at once, and the server remembers it --------------
    await browser.execute(() => {
      const select = document.querySelector("section.page:not([hidden]) [data-test=profile-language]");
      select.value = "en";
      select.dispatchEvent(new Event("change", { bubbles: true }));
    });
    await waitFor(async () => (await pageLanguage()) === "en", { message: "the app in English" });
    await waitForActiveTab("Profile");
    await waitFor(async () => (await profile()).language === "en", { message: "the profile's language saved" });
    // From now on the server answers this app in English too.
    await api(server, "POST", "api/v1/auth/password-recovery", { email: OLGA });
    const reset = await inboxMessage(OLGA, "Reset your Lanyard password");
    assert.ok(reset.text.includes("Choose a new password"), reset.text);

    assert.deepEqual(inaccessible, [], "axe-core finds no serious or critical violation");
  } catch (error) {
    await screenshot(browser, `failure-${path.basename(import.meta.filename, ".test.mjs")}`).catch(() => undefined);
    throw error;
  } finally {
    await browser.deleteSession();
  }
});
