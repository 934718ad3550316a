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

test("every catalogue found in locales/ has every key of en.json, with the same placeholders, and nothing else", () => {
  const catalogues = loadCatalogues();
  const codes = [...catalogues.keys()];
  assert.equal(codes[0], "en");
  assert.ok(codes.includes("fr"), codes.join());
  assert.deepEqual(catalogueProblems(catalogues), []);
});

test("plural forms: exactly the language's categories, or the bare key, never both", () => {
  const en = loadCatalogue("en");
  const fr = { ...loadCatalogue("fr") } as Record<string, string>;
  // fr is one/many/other: a missing "many", an English-only form, both kinds, a bare key.
  delete fr["mail.state.failed#many"];
  fr["admin.days.title#two"] = "Les {count} derniers jours";
  fr["home.secret.limit"] = "Jusqu'à {count} octets.";
  const { "admin.audit.lead#one": _, "admin.audit.lead#many": __, ...rest } = fr;
  const withBare = {
    ...rest,
    "admin.audit.lead#other": "x {count}",
    "auth.password.hint": "Au moins {count}",
  };
  for (const k of ["auth.password.hint#one", "auth.password.hint#many", "auth.password.hint#other"]) {
    delete (withBare as Record<string, string>)[k];
  }
  const problems = catalogueProblems(
    new Map([
      ["en", en],
      ["fr", withBare],
    ]),
  );
  assert.deepEqual(problems.sort(), [
    'fr: "admin.audit.lead" lacks the plural forms #many, #one',
    'fr: "admin.days.title" has forms fr does not use: #two',
    'fr: "home.secret.limit" has both a bare message and plural forms',
    'fr: "mail.state.failed" lacks the plural forms #many',
  ]);
  // A language without plural forms (ja: "other" only) may use the bare key or "#other" alone.
  const ja = Object.fromEntries(
    Object.entries(en)
      .filter(([k]) => !k.endsWith("#one"))
      .map(([k, v]) => [k.replace("#other", ""), v]),
  );
  const jaOther = Object.fromEntries(Object.entries(en).filter(([k]) => !k.endsWith("#one")));
  assert.deepEqual(
    catalogueProblems(
      new Map([
        ["en", en],
        ["ja", ja],
        ["zh-CN", jaOther],
      ]),
    ),
    [],
  );
  // English itself must give every form of English.
  const { "revealed.views.more#one": ___, ...enPartial } = en;
  assert.deepEqual(catalogueProblems(new Map([["en", enPartial]])), [
    'en: "revealed.views.more" lacks the plural forms #one',
  ]);
});

test("a message holding HTML, a tag or a character reference, is reported", () => {
  const en = loadCatalogue("en");
  const bad = {
    ...en,
    "home.title": "Share a <b>secret</b>",
    "home.lead": "Fish &amp; chips",
    "home.submit": "Create&#160;it",
    "action.copy": "<img src=x onerror=alert(1)>",
  };
  const problems = catalogueProblems(
    new Map([
      ["en", en],
      ["xx", bad],
    ]),
  );
  assert.deepEqual(
    problems.sort(),
    ["action.copy", "home.lead", "home.submit", "home.title"].map(
      (k) => `xx: "${k}" holds HTML (messages are plain text)`,
    ),
  );
  // Comparison signs and a lone ampersand are text.
  const fine = { ...en, "home.title": "1 < 2 & 3 > 2" };
  assert.deepEqual(
    catalogueProblems(
      new Map([
        ["en", en],
        ["xx", fine],
      ]),
    ),
    [],
  );
});

test("a plural form may spell its number out, except the #other form", () => {
  const en = loadCatalogue("en");
  const once = { ...en, "revealed.views.more#one": "Once more: the next person can read it." };
  assert.deepEqual(
    catalogueProblems(
      new Map([
        ["en", en],
        ["xx", once],
      ]),
    ),
    [],
  );
  const noCount = { ...en, "revealed.views.more#other": "Several more times." };
  assert.deepEqual(
    catalogueProblems(
      new Map([
        ["en", en],
        ["xx", noCount],
      ]),
    ),
    ['xx: "revealed.views.more#other" must use the placeholders {count}'],
  );
});

test("a missing key, a wrong placeholder or an extra key in any language is reported", () => {
  const en = loadCatalogue("en");
  const broken = { ...en, "home.title": "", "home.views.hint": "de 1 à beaucoup", bogus: "x" };
  delete (broken as Record<string, string>)["home.submit"];
  const problems = catalogueProblems(
    new Map([
      ["en", en],
      ["xx", broken],
    ]),
  );
  assert.deepEqual(problems.sort(), [
    'xx: "bogus" is not in en.json',
    'xx: "home.submit" is missing',
    'xx: "home.title" is empty',
    'xx: "home.views.hint" must use the placeholders {max}',
  ]);
});

test("adding a language is adding one file", () => {
  using dir = tempDir("onetime-locales-");
  cpSync(LOCALES_DIR, dir.path, { recursive: true });
  // Finnish plurals are English's (one, other): the English file is a complete Finnish one.
  assert.ok(!availableLocales(dir.path).includes("fi"));
  const fi = { ...loadCatalogue("en"), "meta.name": "Suomi" };
  writeFileSync(join(dir.path, "fi.json"), JSON.stringify(fi));
  const codes = availableLocales(dir.path);
  assert.equal(codes[0], "en");
  assert.ok(codes.includes("fi"));
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
      for (const m of source.matchAll(/\b(?:t|forms)\(\s*"([a-z_.]+)"/g)) used.add(m[1] ?? "");
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
  // Plural forms count as their base key: "revealed.views.more#one" is used by t("revealed.views.more").
  const en = Object.fromEntries(Object.keys(loadCatalogue("en")).map((k) => [k.split("#")[0] ?? k, k]));
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
