import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stuckChecklist, type Situation } from "./stuck";
import { setLocale } from "./paraglide/runtime";

const base: Situation = { code: "invalid_credentials", capsLock: false, login: "anna@example.com", address: "acme", social: false };
const ids = (s: Partial<Situation>) => stuckChecklist({ ...base, ...s }).map((step) => step.id);

describe("stuckChecklist", () => {
  beforeEach(() => setLocale("en", { reload: false }));
  it("after a wrong password: the password first, then the binding, then the administrators", () => {
    expect(ids({})).toEqual(["password", "not-bound", "administrator"]);
  });

  it("puts Caps Lock and the keyboard layout first when they are the likely slip", () => {
    expect(ids({ capsLock: true })[0]).toBe("caps");
    const steps = stuckChecklist({ ...base, login: "фттф\"учфьздуюсщь" });
    expect(steps[0]).toMatchObject({ id: "layout", action: "use-layout" });
    expect(steps[0].text).toContain("anna@example.com");
  });

  it("after no access: the login's binding first, naming the account", () => {
    const steps = stuckChecklist({ ...base, code: "no_access" });
    expect(steps[0]).toMatchObject({ id: "not-bound", action: "change-user" });
    expect(steps[0].text).toContain("acme");
    expect(steps.filter((s) => s.id === "not-bound")).toHaveLength(1);
  });

  it("mentions the second profile of a social sign-in only where social sign-ins exist", () => {
    expect(ids({})).not.toContain("social");
    expect(ids({ social: true })).toContain("social");
  });

  it("flags a malformed address, and leaves a pasted link alone", () => {
    expect(ids({ address: "acme corp" })).toContain("address");
    expect(ids({ address: "https://lanyard.example.com/acme" })).not.toContain("address");
  });

  it("on a form without an address, names no account and asks nothing about one", () => {
    const steps = stuckChecklist({ ...base, address: null });
    expect(steps.map((s) => s.id)).toEqual(["password", "administrator"]);
    expect(steps.at(-1)?.text).toContain("the account");
  });

  it("says to verify, or to wait, when that is what the server said", () => {
    expect(stuckChecklist({ ...base, code: "unverified" })[0]).toMatchObject({ id: "unverified", action: "open-inbox" });
    expect(ids({ code: "rate_limited" })[0]).toBe("wait");
  });
});

describe("stuckChecklist in Russian", () => {
  beforeEach(() => setLocale("ru", { reload: false }));
  afterEach(() => setLocale("en", { reload: false }));

  it("says the same steps, in the same order, in Russian", () => {
    expect(ids({})).toEqual(["password", "not-bound", "administrator"]);
    const steps = stuckChecklist({ ...base, code: "no_access" });
    expect(steps[0].text).toContain("не привязан к аккаунту acme");
    expect(steps.at(-1)?.text).toBe(
      "Всё ещё не получается? Администраторы аккаунта acme могут проверить вашу запись сотрудника и пригласить вас снова.",
    );
  });

  it("names the login as typed in the other layout, and no account where there is none", () => {
    expect(stuckChecklist({ ...base, login: "фттф\"учфьздуюсщь" })[0].text).toBe(
      "Похоже, логин набран в другой раскладке. Вы имели в виду anna@example.com?",
    );
    expect(stuckChecklist({ ...base, address: null }).at(-1)?.text).toContain("Администраторы аккаунта могут");
  });
});
