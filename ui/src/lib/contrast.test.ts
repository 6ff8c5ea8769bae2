// Both palettes of app.css meet WCAG 2.2 AA: every text colour against every surface it is
// shown on keeps a contrast of at least 4.5:1.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";

// Read from disk: the test runner hands stylesheets over empty, even as `?raw`.
const css = readFileSync(new URL("../app.css", import.meta.url), "utf8");

function palette(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`app.css has no ${selector} block`);
  const block = css.slice(start, css.indexOf("}", start));
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map(([, name, hex]) => [name, hex]));
}

function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Which text colour is shown on which surfaces (as app.css and the components use them). */
const PAIRS: Array<[string, string[]]> = [
  ["text", ["bg", "panel", "field", "sidebar", "strip", "strip-hover"]],
  ["muted", ["bg", "panel", "field", "sidebar", "strip"]],
  ["accent", ["bg", "panel", "field", "sidebar", "accent-soft"]],
  ["danger", ["panel", "field", "danger-soft", "strip"]],
  ["ok", ["panel", "ok-soft"]],
  ["warn", ["warn-soft"]],
  ["on-accent", ["accent", "accent-hover"]],
  ["panel", ["danger"]],
];

describe.each([
  ["light", ":root"],
  ["dark", ':root[data-theme="dark"]'],
])("the %s palette", (_, selector) => {
  const colours = palette(selector);
  it.each(PAIRS)("keeps %s readable on its surfaces", (text, surfaces) => {
    for (const surface of surfaces) {
      expect(colours[text], `--${text}`).toBeDefined();
      expect(colours[surface], `--${surface}`).toBeDefined();
      const ratio = contrast(colours[text], colours[surface]);
      expect(ratio, `--${text} on --${surface}: ${ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(4.5);
    }
  });
});
