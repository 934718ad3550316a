import assert from "node:assert/strict";
import { test } from "node:test";
import { fromAcceptLanguage, lookupLocale, parseAcceptLanguage } from "./negotiate.js";

const LOCALES = ["en", "de", "fr", "pt-BR", "zh-Hant"];
const pick = (header: string, defaultLocale = "en") => fromAcceptLanguage(LOCALES, header, defaultLocale);

test("weights decide, not the order; equal weights keep the header's order", () => {
  assert.equal(pick("en;q=0.2, fr;q=0.8"), "fr");
  assert.equal(pick("en;q=0.1, de"), "de");
  assert.equal(pick("de, fr"), "de");
  assert.equal(pick("fr;q=0.5, de;q=0.5"), "fr");
  assert.equal(pick("fr;q=0.500, de;q=0.501"), "de");
  assert.equal(pick("fr;q=1.000, de"), "fr");
});

test("a region or script falls back to its language; case and underscores are forgiven", () => {
  assert.equal(pick("fr-CA"), "fr");
  assert.equal(pick("fr-CA,fr;q=0.9"), "fr");
  assert.equal(pick("FR-ca"), "fr");
  assert.equal(pick("fr_CA"), "fr");
  assert.equal(pick("zh-Hant-TW"), "zh-Hant");
  assert.equal(pick("pt-br"), "pt-BR");
  // Lookup only drops subtags: a bare language does not pick one of its regions.
  assert.equal(pick("pt, de;q=0.5"), "de");
  assert.equal(pick("it-IT, it"), "en");
});

test("q=0 refuses a language and its regions, even where a region would fall back to it", () => {
  assert.equal(pick("fr;q=0, de"), "de");
  assert.equal(pick("fr-CA, fr;q=0, de;q=0.5"), "de");
  assert.equal(pick("fr-CA;q=0, fr"), "fr");
  assert.equal(pick("pt;q=0, pt-BR, de;q=0.1"), "de");
  // Nothing acceptable left but the refusal of the default: the first locale not refused.
  assert.equal(pick("en;q=0"), "de");
  assert.equal(pick("fr;q=0", "fr"), "en");
  assert.equal(pick("it, fr;q=0", "fr"), "en");
});

test("* is any language the header does not name: the default if free, else the first free one", () => {
  assert.equal(pick("*"), "en");
  assert.equal(pick("*", "fr"), "fr");
  assert.equal(pick("it, *;q=0.5"), "en");
  assert.equal(pick("en;q=0.1, *"), "de");
  assert.equal(pick("fr;q=0.1, *"), "en");
  assert.equal(pick("en;q=0, *"), "de");
  assert.equal(pick("en, *;q=0"), "en");
  // `*;q=0` with nothing else matching: some language must still be served.
  assert.equal(pick("it, *;q=0"), "en");
  assert.equal(pick("en, de, fr, pt-BR, zh-Hant;q=0.2, *;q=0.5"), "en");
});

test("malformed headers and entries: the bad entries are skipped, the rest still counts", () => {
  for (const header of ["", " ", ",,,", ";;;", "=", ";q=1", "q=0.5", "*;", "\u00e9", "fr;q=", "fr;q=abc"]) {
    assert.equal(pick(header), "en", JSON.stringify(header));
  }
  assert.equal(pick("fr;q=abc, de;q=0.3"), "de");
  assert.equal(pick("fr;q=1.5, de;q=0.3"), "de");
  assert.equal(pick("fr;q=-1, de;q=0.3"), "de");
  assert.equal(pick("fr;q=0.5.5, de;q=0.3"), "de");
  assert.equal(pick("f r, de;q=0.3"), "de");
  assert.equal(pick("toolonglanguage, de;q=0.3"), "de");
  assert.equal(pick("fr ; q = 0.9 , de ; q=0.3"), "fr");
  assert.equal(pick("fr;level=1;q=0.9, de;q=0.3"), "fr");
  assert.equal(pick("de;q=0.3, fr;Q=0.9"), "fr");
  // A header as long as Node allows is read in one pass, not rejected.
  assert.equal(pick(`${"xx;q=0.9, ".repeat(1500)}fr;q=0.95`), "fr");
});

test("the parsed ranges, best first", () => {
  assert.deepEqual(parseAcceptLanguage("de;q=0.5, FR-ca, *;q=0, bad tag, en;q=0.5"), [
    { tag: "fr-ca", q: 1 },
    { tag: "de", q: 0.5 },
    { tag: "en", q: 0.5 },
    { tag: "*", q: 0 },
  ]);
});

test("a locale named directly: lookup, or null", () => {
  assert.equal(lookupLocale(LOCALES, "fr"), "fr");
  assert.equal(lookupLocale(LOCALES, " FR_fr "), "fr");
  assert.equal(lookupLocale(LOCALES, "fr-BE"), "fr");
  assert.equal(lookupLocale(LOCALES, "ZH_hant_hk"), "zh-Hant");
  assert.equal(lookupLocale(LOCALES, "pt"), null);
  assert.equal(lookupLocale(LOCALES, "f"), null);
  assert.equal(lookupLocale(LOCALES, ""), null);
  assert.equal(lookupLocale(LOCALES, ["fr"]), null);
  assert.equal(lookupLocale(LOCALES, undefined), null);
});

test("a variant of the language in another region, only when no named language is served closer", () => {
  const locales = ["en", "fr", "pt-BR", "zh-CN"];
  const choose = (header: string, defaultLocale = "en") => fromAcceptLanguage(locales, header, defaultLocale);
  assert.equal(choose("pt"), "pt-BR");
  assert.equal(choose("pt-PT"), "pt-BR");
  assert.equal(choose("pt-PT, it;q=0.5"), "pt-BR");
  assert.equal(choose("it, pt-PT;q=0.5"), "pt-BR");
  assert.equal(choose("pt-PT, *;q=0.1", "fr"), "pt-BR");
  // A language the header names and the server has is closer than another region's variant.
  assert.equal(choose("pt-PT, fr;q=0.5"), "fr");
  assert.equal(choose("pt-PT, pt-BR;q=0.1, fr;q=0.5"), "fr");
  assert.equal(choose("pt-PT, pt-BR;q=0.5"), "pt-BR");
  assert.equal(choose("pt-PT, pt-BR;q=0"), "en");
  // Simplified Chinese for zh and zh-SG (the same script); never for Traditional Chinese.
  assert.equal(choose("zh"), "zh-CN");
  assert.equal(choose("zh-SG"), "zh-CN");
  for (const tw of ["zh-TW", "zh-HK", "zh-Hant", "zh-Hant-TW", "zh-MO"]) {
    assert.equal(choose(tw), "en", tw);
    assert.equal(choose(tw, "fr"), "fr", tw);
    assert.equal(choose(`${tw}, pt;q=0.3`), "pt-BR", tw);
    assert.equal(choose(`${tw}, fr;q=0.3`), "fr", tw);
  }
  // q-weights still rule: the best named language that is served wins.
  assert.equal(choose("en;q=0.3, pt-BR;q=0.9, fr;q=0.5"), "pt-BR");
});
