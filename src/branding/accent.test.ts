// An accent the operator chose is refused below 4.5:1, with the figure, the background and a colour
// that passes; a dark accent left out is derived, and a note says so.
import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveAccent } from "./accent.js";
import { checkAccent } from "./contrast.js";

test("a passing accent without accent_dark gets a derived dark accent, and a note saying so", () => {
  const { accent, problems, notes } = resolveAccent("#0b5fff", null, "BRAND_FILE ");
  assert.deepEqual(problems, []);
  assert.ok(accent);
  assert.equal(accent.light, "#0b5fff");
  assert.equal(accent.lightText, "#ffffff");
  assert.notEqual(accent.dark, "#0b5fff");
  assert.ok(checkAccent(accent.dark, "dark").passes);
  assert.ok(checkAccent(accent.dark, "dark").ratio < 4.6, "no lighter than needed");
  assert.equal(accent.darkText, checkAccent(accent.dark, "dark").text);
  assert.deepEqual(notes, [
    `BRAND_FILE accent_dark not set: using ${accent.dark} (4.51:1 on the dark theme) derived from accent #0b5fff`,
  ]);
});

test("an explicit accent below 4.5:1 is refused with its ratio, the background and the nearest passing colour", () => {
  const { accent, problems, notes } = resolveAccent("#ff8800", null, "BRAND_FILE ");
  assert.equal(accent, null);
  assert.deepEqual(notes, []);
  assert.deepEqual(problems, [
    "BRAND_FILE accent: #ff8800 reaches 2.22:1 against #f6f7f5 (the light theme's background), below 4.5:1;" +
      " the nearest colour of the same hue that passes is #ad5c00 (4.53:1)",
  ]);
});

test("an explicit accent_dark below 4.5:1 is refused; both colours' problems are listed", () => {
  const { accent, problems } = resolveAccent("#777777", "#2f5d50", 'BRAND_FILE domains["a.example"].');
  assert.equal(accent, null);
  assert.equal(problems.length, 2);
  assert.match(
    problems[0] as string,
    /^BRAND_FILE domains\["a\.example"\]\.accent: #777777 reaches 4\.16:1 against #f6f7f5/,
  );
  assert.match(
    problems[1] as string,
    /^BRAND_FILE domains\["a\.example"\]\.accent_dark: #2f5d50 reaches 2\.\d\d:1 against #1d2421 \(the dark theme's surface\), below 4\.5:1; the nearest colour of the same hue that passes is (#[0-9a-f]{6})/,
  );
  const suggested = (problems[1] as string).match(/passes is (#[0-9a-f]{6})/)?.[1] as string;
  assert.ok(checkAccent(suggested, "dark").passes);
});

test("two passing colours are kept as given, without a note; no accent at all is null", () => {
  const both = resolveAccent("#0b5fff", "#8ab4ff", "BRAND_FILE ");
  assert.deepEqual(both.problems, []);
  assert.deepEqual(both.notes, []);
  assert.deepEqual(both.accent, {
    light: "#0b5fff",
    lightText: "#ffffff",
    dark: "#8ab4ff",
    darkText: "#111111",
  });
  assert.deepEqual(resolveAccent(null, null, "BRAND_FILE "), { accent: null, problems: [], notes: [] });
  assert.deepEqual(resolveAccent(null, "#8ab4ff", "BRAND_FILE ").problems, [
    "BRAND_FILE accent_dark: needs accent (the light theme's colour) too",
  ]);
});
