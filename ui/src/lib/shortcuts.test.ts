import { describe, expect, it } from "vitest";
import { tabTarget, type Keys } from "./shortcuts";

const press = (key: string, extra: Partial<Keys> = {}): Keys => ({
  key,
  code: key === "Tab" ? "Tab" : `Digit${key}`,
  ctrlKey: true,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...extra,
});

describe("tabTarget", () => {
  it("cycles forward and back with Ctrl+Tab and Ctrl+Shift+Tab", () => {
    expect(tabTarget(press("Tab"), 3, 2)).toBe(0);
    expect(tabTarget(press("Tab", { shiftKey: true }), 3, 0)).toBe(2);
    expect(tabTarget(press("Tab", { shiftKey: true }), 3, 1)).toBe(0);
    expect(tabTarget(press("Unidentified", { code: "Tab", shiftKey: true }), 3, 1)).toBe(0);
  });
  it("picks by position with Ctrl+1…8 and the last with Ctrl+9", () => {
    expect(tabTarget(press("1"), 3, 2)).toBe(0);
    expect(tabTarget(press("3"), 3, 0)).toBe(2);
    expect(tabTarget(press("5"), 3, 0)).toBeNull();
    expect(tabTarget(press("9"), 3, 0)).toBe(2);
  });
  it("uses Cmd on macOS and ignores keys without the modifier", () => {
    expect(tabTarget(press("2", { ctrlKey: false, metaKey: true }), 3, 0, true)).toBe(1);
    expect(tabTarget(press("2", { ctrlKey: false }), 3, 0)).toBeNull();
    expect(tabTarget(press("Tab"), 0, 0)).toBeNull();
  });
});
