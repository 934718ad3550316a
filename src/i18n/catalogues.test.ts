import assert from "node:assert/strict";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../../test/support/temp.js";
import { NOTIFY_EVENTS } from "../domain/notify.js";
import { ERROR_PAGES } from "../http/web/messages.js";
import {
  availableLocales,
  catalogueProblems,
  format,
  LOCALES_DIR,
  loadCatalogue,
  loadCatalogues,
  placeholders,
} from "./catalogues.js";

test("every catalogue has every key of en.json, with the same placeholders, and nothing else", () => {
  const catalogues = loadCatalogues();
  assert.deepEqual([...catalogues.keys()], ["en", "fr"]);
  assert.deepEqual(catalogueProblems(catalogues), []);
});

test("a missing key, a wrong placeholder or an extra key in any language is reported", () => {
  const en = loadCatalogue("en");
  const broken = { ...en, "home.title": "", "form.error.secret_too_large": "trop long", bogus: "x" };
  delete (broken as Record<string, string>)["home.submit"];
  const problems = catalogueProblems(
    new Map([
      ["en", en],
      ["xx", broken],
    ]),
  );
  assert.deepEqual(problems.sort(), [
    'xx: "bogus" is not in en.json',
    'xx: "form.error.secret_too_large" must use the placeholders {max}',
    'xx: "home.submit" is missing',
    'xx: "home.title" is empty',
  ]);
});

test("adding a language is adding one file", () => {
  using dir = tempDir("onetime-locales-");
  cpSync(LOCALES_DIR, dir.path, { recursive: true });
  const de = { ...loadCatalogue("en"), "meta.name": "Deutsch" };
  writeFileSync(join(dir.path, "de.json"), JSON.stringify(de));
  assert.deepEqual(availableLocales(dir.path), ["en", "de", "fr"]);
  assert.deepEqual(catalogueProblems(loadCatalogues(dir.path)), []);
});

/** Message keys the web code names literally: t("…"), and keys built from a known list. */
function keysInUse(): Set<string> {
  const used = new Set<string>();
  for (const dir of [["http", "web"], ["mail"]]) {
    const root = join(LOCALES_DIR, "..", "src", ...dir);
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
    );
    for (const file of files) {
      const source = readFileSync(join(root, file), "utf8");
      for (const m of source.matchAll(/\bt\(\s*"([a-z_.]+)"/g)) used.add(m[1] ?? "");
    }
  }
  for (const theme of ["auto", "light", "dark"]) used.add(`theme.${theme}`);
  for (const page of ERROR_PAGES) used.add(`error.${page}.title`).add(`error.${page}.body`);
  used.add("meta.name");
  for (const purpose of ["verify", "reset"]) {
    for (const part of ["subject", "intro", "ignore"]) used.add(`mail.${purpose}.${part}`);
  }
  // Read notifications (src/mail/notice.ts): one subject and first line per event.
  for (const event of NOTIFY_EVENTS) {
    for (const part of ["subject", "intro"]) used.add(`mail.notice.${event}.${part}`);
  }
  return used;
}

test("every message the pages and mails use exists in English, and every English message is used", () => {
  const en = loadCatalogue("en");
  const used = keysInUse();
  assert.deepEqual(
    [...used].filter((k) => !(k in en)),
    [],
    "keys used but missing from en.json",
  );
  assert.deepEqual(
    Object.keys(en).filter((k) => !used.has(k)),
    [],
    "keys in en.json that nothing uses",
  );
});

test("placeholders are filled; an unknown one stays visible", () => {
  assert.equal(format("{used} of {max} bytes", { used: 3, max: 10 }), "3 of 10 bytes");
  assert.equal(format("hello {name}"), "hello {name}");
  assert.deepEqual(placeholders("{b} and {a} and {b}"), ["a", "b", "b"]);
});
