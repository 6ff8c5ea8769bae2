// A refusal said in the UI's language: the app's own by code, the server's in its own words.
import { afterEach, describe, expect, it } from "vitest";
import { problemText } from "./problems";
import { setLocale } from "./paraglide/runtime";
import type { UiError } from "./generated/UiError";

const refusal = (code: UiError["code"], message = "The shell's English.", retry_after: number | null = null): UiError => ({
  code,
  message,
  retry_after,
  field: null,
});

afterEach(() => setLocale("en", { reload: false }));

describe("problemText", () => {
  it("words the app's own refusals by code, not with the shell's English", () => {
    expect(problemText(refusal("unreachable", "Cannot reach the server at http://127.0.0.1:1."))).toBe("Cannot reach the server.");
    setLocale("ru", { reload: false });
    expect(problemText(refusal("unreachable"))).toBe("Не удаётся связаться с сервером.");
    expect(problemText(refusal("no_local_server"))).toBe("Встроенный сервер не запущен.");
  });

  it("says the server's refusals in the server's words, which come in the asked language", () => {
    setLocale("ru", { reload: false });
    expect(problemText(refusal("address_taken", "Этот адрес уже занят."))).toBe("Этот адрес уже занят.");
    // A code this version does not know: the server's detail all the same.
    expect(problemText(refusal("refused", "Не сегодня."))).toBe("Не сегодня.");
  });

  it("counts the seconds to wait with the plural forms of the language", () => {
    expect(problemText(refusal("rate_limited", "", 1))).toBe("Too many attempts. Try again in 1 second.");
    expect(problemText(refusal("rate_limited", "", 30))).toBe("Too many attempts. Try again in 30 seconds.");
    expect(problemText(refusal("rate_limited", "", null))).toBe("Too many attempts. Try again in 60 seconds.");
    setLocale("ru", { reload: false });
    const wait = (seconds: number) => problemText(refusal("rate_limited", "", seconds));
    expect(wait(1)).toBe("Слишком много попыток. Попробуйте снова через 1 секунду.");
    expect(wait(2)).toBe("Слишком много попыток. Попробуйте снова через 2 секунды.");
    expect(wait(5)).toBe("Слишком много попыток. Попробуйте снова через 5 секунд.");
    expect(wait(21)).toBe("Слишком много попыток. Попробуйте снова через 21 секунду.");
    expect(wait(11)).toBe("Слишком много попыток. Попробуйте снова через 11 секунд.");
  });
});
