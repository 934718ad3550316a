// WCAG 2.x contrast figures against published values, the themes' backgrounds against web/app.css,
// and the nearest passing colour: it passes, keeps the hue, and one step nearer would not pass.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import {
  checkAccent,
  contrastRatio,
  formatRatio,
  MIN_CONTRAST,
  nearestPassing,
  normalizeHex,
  relativeLuminance,
  TEXT_ON_ACCENT,
  THEMES,
  textOn,
} from "./contrast.js";

const ROOT = resolve(import.meta.dirname, "..", "..");

test("relative luminance and contrast ratio match WCAG's published figures", () => {
  assert.equal(relativeLuminance("#000000"), 0);
  assert.equal(relativeLuminance("#ffffff"), 1);
  assert.equal(contrastRatio("#000000", "#ffffff"), 21);
  assert.equal(contrastRatio("#ffffff", "#000000"), 21);
  assert.equal(contrastRatio("#123456", "#123456"), 1);
  // #777777 on white: 4.48:1, the classic grey that just fails; #767676 is the lightest that passes.
  assert.ok(Math.abs(contrastRatio("#777777", "#ffffff") - 4.478) < 0.001);
  assert.ok(contrastRatio("#777777", "#ffffff") < MIN_CONTRAST);
  assert.ok(Math.abs(contrastRatio("#767676", "#ffffff") - 4.542) < 0.001);
  // Pure red on white, 4.00:1; pure blue on white, 8.59:1 (WebAIM's checker).
  assert.equal(formatRatio(contrastRatio("#ff0000", "#ffffff")), "3.99:1");
  assert.ok(Math.abs(contrastRatio("#ff0000", "#ffffff") - 3.998) < 0.001);
  assert.ok(Math.abs(contrastRatio("#0000ff", "#ffffff") - 8.592) < 0.001);
  // A figure shown is rounded down: 4.478 is shown as 4.47, never as a passing 4.50.
  assert.equal(formatRatio(4.4999), "4.49:1");
  assert.equal(formatRatio(contrastRatio("#777777", "#ffffff")), "4.47:1");
});

test("colours are #rgb or #rrggbb, normalised to lower-case #rrggbb", () => {
  assert.equal(normalizeHex("#0B5FFF"), "#0b5fff");
  assert.equal(normalizeHex("#05f"), "#0055ff");
  for (const bad of ["0b5fff", "#0b5ff", "#0b5fffff", "blue", "#ggg", " #0b5fff"]) {
    assert.equal(normalizeHex(bad), null, bad);
  }
});

/** The value of `--name` in the first block of app.css whose selector line is `selector`. */
function cssVariable(css: string, selector: string, name: string): string {
  const start = css.indexOf(`${selector} {`);
  assert.notEqual(start, -1, `app.css has no "${selector} {" block`);
  const block = css.slice(start, css.indexOf("}", start));
  const match = block.match(new RegExp(`--${name}:\\s*(#[0-9a-fA-F]{3,6})\\s*;`));
  assert.ok(match, `--${name} in "${selector}"`);
  return (match[1] as string).toLowerCase();
}

test("the themes' backgrounds are web/app.css's --bg and --surface, in all three places", () => {
  const css = readFileSync(join(ROOT, "web", "app.css"), "utf8");
  assert.equal(cssVariable(css, ":root", "bg"), THEMES.light.bg);
  assert.equal(cssVariable(css, ":root", "surface"), THEMES.light.surface);
  for (const dark of [':root:not([data-theme="light"])', ':root[data-theme="dark"]']) {
    assert.equal(cssVariable(css, dark, "bg"), THEMES.dark.bg);
    assert.equal(cssVariable(css, dark, "surface"), THEMES.dark.surface);
  }
  // app.css's own accents pass the rule this module applies to the operator's.
  assert.ok(checkAccent(cssVariable(css, ":root", "accent"), "light").passes);
  assert.ok(checkAccent(cssVariable(css, ':root[data-theme="dark"]', "accent"), "dark").passes);
});

test("the text on an accent is white or near-black, whichever contrasts more", () => {
  assert.equal(textOn("#0b5fff"), "#ffffff");
  assert.equal(textOn("#ffd400"), TEXT_ON_ACCENT[1]);
  assert.equal(textOn("#7fc6ae"), TEXT_ON_ACCENT[1]);
});

test("an accent is checked against both backgrounds and its text, and the worst is named", () => {
  const light = checkAccent("#777777", "light");
  assert.equal(light.passes, false);
  assert.equal(light.against, "#f6f7f5");
  assert.equal(light.what, "the light theme's background");
  const dark = checkAccent("#3a6ea5", "dark");
  assert.equal(dark.passes, false);
  assert.equal(dark.against, "#1d2421");
  assert.equal(dark.what, "the dark theme's surface");
  assert.equal(checkAccent("#0b5fff", "light").passes, true);
});

/** HSL hue in degrees, for checking that a suggestion keeps it. */
function hue(colour: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16) / 255) as number[];
  const max = Math.max(r as number, g as number, b as number);
  const d = max - Math.min(r as number, g as number, b as number);
  const h =
    max === r
      ? ((g as number) - (b as number)) / d
      : max === g
        ? ((b as number) - (r as number)) / d + 2
        : ((r as number) - (g as number)) / d + 4;
  return (h * 60 + 360) % 360;
}

test("the nearest passing colour passes, keeps the hue, and is the nearest", () => {
  for (const [colour, theme] of [
    ["#ff8800", "light"],
    ["#4a90d9", "light"],
    ["#e91e63", "light"],
    ["#0b5fff", "dark"],
    ["#2f5d50", "dark"],
    ["#8e24aa", "dark"],
  ] as const) {
    assert.equal(checkAccent(colour, theme).passes, false, `${colour} fails in ${theme} to begin with`);
    const better = nearestPassing(colour, theme);
    assert.ok(checkAccent(better, theme).passes, `${better} passes in ${theme}`);
    assert.ok(Math.abs(hue(better) - hue(colour)) < 2, `${better} keeps the hue of ${colour}`);
    // Darker for the light theme, lighter for the dark one; and by no more than needed: one
    // channel step back toward the original fails.
    const step = theme === "light" ? 2 : -2;
    const back = `#${[1, 3, 5]
      .map((i) => Math.min(255, Math.max(0, Number.parseInt(better.slice(i, i + 2), 16) + step)))
      .map((v) => v.toString(16).padStart(2, "0"))
      .join("")}`;
    assert.equal(checkAccent(back, theme).passes, false, `${back} (a step back from ${better}) fails`);
  }
  assert.equal(nearestPassing("#0b5fff", "light"), "#0b5fff", "a passing colour is kept");
});
