// The brand stylesheet sets --accent and --accent-text, and nothing else, under the same three
// selectors as the top of web/app.css, so that both themes and the theme switcher follow it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";
import { brandStylesheet, stylesheetText } from "./stylesheet.js";

const ACCENT = { light: "#0b5fff", lightText: "#ffffff", dark: "#8ab4ff", darkText: "#111111" };
const DARK_BY_SYSTEM = ':root:not([data-theme="light"])';

test("the stylesheet sets the accent for light, for dark by the system, and for dark by the switcher", () => {
  const css = stylesheetText(ACCENT);
  const blocks = [...css.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map((m) => ({
    selector: (m[1] as string).replace(/\/\*[\s\S]*?\*\//, "").trim(),
    body: (m[2] as string).trim(),
  }));
  assert.deepEqual(blocks, [
    { selector: ":root", body: "--accent: #0b5fff;\n  --accent-text: #ffffff;" },
    { selector: DARK_BY_SYSTEM, body: "--accent: #8ab4ff;\n    --accent-text: #111111;" },
    { selector: ':root[data-theme="dark"]', body: "--accent: #8ab4ff;\n  --accent-text: #111111;" },
  ]);
  assert.ok(css.includes(`@media (prefers-color-scheme: dark) {\n  ${DARK_BY_SYSTEM} {`));
  // The same selectors as app.css's palettes, in the same order: each rule is as specific and later.
  const app = readFileSync(join(resolve(import.meta.dirname, "..", ".."), "web", "app.css"), "utf8");
  const order = [
    ":root {",
    "@media (prefers-color-scheme: dark) {",
    `${DARK_BY_SYSTEM} {`,
    ':root[data-theme="dark"] {',
  ];
  const inApp = order.map((s) => app.indexOf(s));
  const inBrand = order.map((s) => css.indexOf(s));
  assert.ok(
    inApp.every((i, k) => i >= 0 && (k === 0 || i > (inApp[k - 1] as number))),
    "app.css has them in order",
  );
  assert.ok(
    inBrand.every((i, k) => i >= 0 && (k === 0 || i > (inBrand[k - 1] as number))),
    "so does the brand's",
  );
});

test("the asset is brand.<hash>.css, text/css; equal accents give the same one", () => {
  const asset = brandStylesheet(ACCENT);
  assert.match(asset.hashedName, /^brand\.[0-9a-f]{12}\.css$/);
  assert.equal(asset.type, "text/css; charset=utf-8");
  assert.match(asset.integrity, /^sha384-[A-Za-z0-9+/]{64}$/);
  assert.deepEqual(brandStylesheet({ ...ACCENT }), asset);
  assert.notEqual(brandStylesheet({ ...ACCENT, dark: "#8ab4fe" }).hashedName, asset.hashedName);
});
