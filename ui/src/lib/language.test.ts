// Dates and times are written as the UI's language writes them.
import { afterEach, describe, expect, it } from "vitest";
import { dateTime } from "./language.svelte";
import { setLocale } from "./paraglide/runtime";

afterEach(() => setLocale("en", { reload: false }));

describe("dateTime", () => {
  const midJanuary = new Date(Date.UTC(2025, 0, 15, 12, 0));

  it("writes the month in the UI's language", () => {
    expect(dateTime(midJanuary)).toMatch(/Jan/);
    setLocale("ru", { reload: false });
    expect(dateTime(midJanuary)).toMatch(/янв/);
    expect(dateTime(midJanuary)).toMatch(/2025/);
  });
});
