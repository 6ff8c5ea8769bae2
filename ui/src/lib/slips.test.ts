import { describe, expect, it } from "vitest";
import { capsLockOn, otherLayout, parseAddress, validAddress } from "./slips";

describe("otherLayout", () => {
  it("turns a login typed in the Russian layout back into Latin", () => {
    // "anna@example.com" typed with the Russian layout on: @ is Shift+2 ("), . is ю.
    expect(otherLayout("фттф\"учфьздуюсщь")).toBe("anna@example.com");
  });
  it("leaves Latin logins and phone numbers alone", () => {
    expect(otherLayout("anna@example.com")).toBeNull();
    expect(otherLayout("+44 7700 900123")).toBeNull();
  });
});

describe("parseAddress", () => {
  it("trims and lower-cases a plain address", () => {
    expect(parseAddress("  Acme ")).toEqual({ server: null, address: "acme" });
  });
  it("splits a pasted link into the server and the address", () => {
    expect(parseAddress("https://lanyard.example.com/acme")).toEqual({
      server: "https://lanyard.example.com",
      address: "acme",
    });
    expect(parseAddress("http://127.0.0.1:8080/accounts/Globex/")).toEqual({
      server: "http://127.0.0.1:8080",
      address: "globex",
    });
  });
  it("keeps a link without a path as a server with no address yet", () => {
    expect(parseAddress("https://lanyard.example.com")).toEqual({
      server: "https://lanyard.example.com",
      address: "",
    });
  });
});

describe("validAddress", () => {
  it("follows the server's rule", () => {
    expect(validAddress("acme")).toBe(true);
    expect(validAddress("ac")).toBe(false);
    expect(validAddress("acme!")).toBe(false);
    expect(validAddress("a".repeat(41))).toBe(false);
  });
});

describe("capsLockOn", () => {
  it("reads the modifier state of the event", () => {
    const on = { getModifierState: (key: string) => key === "CapsLock" } as unknown as KeyboardEvent;
    const off = { getModifierState: () => false } as unknown as KeyboardEvent;
    expect(capsLockOn(on)).toBe(true);
    expect(capsLockOn(off)).toBe(false);
  });
});
