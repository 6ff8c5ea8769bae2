// The message catalogs (ui/messages/*.json) say the same things in every language: each key
// in one is in the others, with the same parameters and markup, and a message that counts
// has every plural form its language needs (Russian: 1 задача, 2 задачи, 5 задач, 1,5 задачи).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";

const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8"));
const settings = read("../../project.inlang/settings.json") as { baseLocale: string; locales: string[] };

/** A message as the inlang message format stores it: a pattern, or variants in an array. */
type Variants = { declarations?: string[]; selectors?: string[]; match: Record<string, string> };
type Message = string | Variants[];
type Catalog = Record<string, Message>;

const catalogs: Record<string, Catalog> = Object.fromEntries(
  settings.locales.map((locale) => [locale, read(`../../messages/${locale}.json`)]),
);

/** The plural categories a language's messages must cover (`Intl.PluralRules`, cardinal). */
const PLURAL_FORMS: Record<string, string[]> = { en: ["one", "other"], ru: ["one", "few", "many", "other"] };

/** The placeholders and markup of a pattern: `{name}`, `{#b}`…`{/b}`; escaped braces are text. */
function tokens(pattern: string): string[] {
  return [...pattern.replace(/\\[{}\\]/g, "").matchAll(/\{([^}]*)\}/g)].map(([, inside]) => inside.trim());
}

/** What a message takes and shows: its inputs, and its markup tags. */
function shape(message: Message): { inputs: string[]; markup: string[] } {
  const patterns = typeof message === "string" ? [message] : message.flatMap((v) => Object.values(v.match));
  const declared = typeof message === "string" ? [] : message.flatMap((v) => v.declarations ?? []);
  const locals = declared.filter((d) => d.startsWith("local ")).map((d) => d.split(/\s+/)[1]);
  const inputs = new Set(declared.filter((d) => d.startsWith("input ")).map((d) => d.split(/\s+/)[1]));
  const markup = new Set<string>();
  for (const token of patterns.flatMap(tokens)) {
    if (token.startsWith("#") || token.startsWith("/")) markup.add(token.replace(/^[#/]/, "").split(/\s/)[0].replace(/\/$/, ""));
    else if (!locals.includes(token)) inputs.add(token);
  }
  return { inputs: [...inputs].sort(), markup: [...markup].sort() };
}

/** The plural selectors of a message, each with the categories its variants match. */
function pluralForms(message: Message): Map<string, Set<string>> {
  const forms = new Map<string, Set<string>>();
  if (typeof message === "string") return forms;
  for (const variants of message) {
    const plurals = (variants.declarations ?? [])
      .map((d) => d.match(/^local\s+(\w+)\s*=\s*\w+\s*:\s*plural\b(?!.*type=ordinal)/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => m[1]);
    for (const name of plurals) {
      const matched = Object.keys(variants.match).flatMap((condition) =>
        condition.split(",").map((part) => part.trim().split("=")).filter(([selector]) => selector === name).map(([, value]) => value),
      );
      forms.set(name, new Set(matched));
    }
  }
  return forms;
}

describe("the helpers", () => {
  it("read inputs, markup and plural forms as the message format writes them", () => {
    expect(shape("Hi {name}, {#b}{count}{/b} new \\{literal\\}")).toEqual({ inputs: ["count", "name"], markup: ["b"] });
    const counted: Message = [
      {
        declarations: ["input count", "local countPlural = count: plural"],
        selectors: ["countPlural"],
        match: { "countPlural=one": "{count} задача", "countPlural=few": "{count} задачи", "countPlural=*": "{count} задач" },
      },
    ];
    expect(shape(counted)).toEqual({ inputs: ["count"], markup: [] });
    expect(pluralForms(counted)).toEqual(new Map([["countPlural", new Set(["one", "few", "*"])]]));
  });
});

describe("the message catalogs", () => {
  const base = catalogs[settings.baseLocale];

  it("exist for every language of the project, English first", () => {
    expect(settings.baseLocale).toBe("en");
    expect(settings.locales).toEqual(["en", "ru"]);
    expect(Object.keys(base).length).toBeGreaterThan(100);
  });

  it.each(settings.locales)("%s has exactly the keys of every other language", (locale) => {
    for (const other of settings.locales) {
      const missing = Object.keys(catalogs[other]).filter((key) => !(key in catalogs[locale]));
      expect(missing, `keys of ${other}.json missing from ${locale}.json`).toEqual([]);
    }
  });

  it.each(settings.locales.filter((l) => l !== settings.baseLocale))("%s takes the parameters and markup of English", (locale) => {
    const differing = Object.entries(base)
      .filter(([key]) => key in catalogs[locale])
      .map(([key, message]) => ({ key, en: shape(message), [locale]: shape(catalogs[locale][key]) }))
      .filter((found) => JSON.stringify(found.en) !== JSON.stringify(found[locale]));
    expect(differing).toEqual([]);
  });

  it.each(settings.locales)("%s has no empty message", (locale) => {
    const empty = Object.entries(catalogs[locale])
      .filter(([, message]) => (typeof message === "string" ? [message] : message.flatMap((v) => Object.values(v.match))).some((p) => p.trim() === ""))
      .map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it.each(settings.locales)("%s gives every counting message each plural form of the language", (locale) => {
    const needed = PLURAL_FORMS[locale];
    expect(needed, `the plural forms of ${locale}`).toBeDefined();
    const counting = Object.entries(catalogs[locale]).flatMap(([key, message]) =>
      [...pluralForms(message)].map(([selector, forms]) => ({ key, selector, lacking: needed.filter((form) => !forms.has(form)) })),
    );
    expect(counting.length).toBeGreaterThan(0);
    expect(counting.filter((c) => c.lacking.length > 0)).toEqual([]);
  });

  it("counts the same things in every language", () => {
    const differing = Object.entries(base).flatMap(([key, message]) => {
      const selectors = [...pluralForms(message).keys()].sort().join();
      return settings.locales
        .filter((locale) => [...pluralForms(catalogs[locale][key] ?? "").keys()].sort().join() !== selectors)
        .map((locale) => `${locale}: ${key}`);
    });
    expect(differing).toEqual([]);
  });
});
