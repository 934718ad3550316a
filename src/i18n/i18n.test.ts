import assert from "node:assert/strict";
import { test } from "node:test";
import { loadCatalogues } from "./catalogues.js";
import { createI18n } from "./i18n.js";

const i18n = createI18n({ catalogues: loadCatalogues(), defaultLocale: "en" });

test("the query wins, then the cookie, then Accept-Language, then the default", () => {
  const al = "fr-CA,fr;q=0.9,en;q=0.5";
  assert.equal(i18n.negotiate({ query: "en", cookie: "fr", acceptLanguage: al }), "en");
  assert.equal(i18n.negotiate({ query: "xx", cookie: "fr", acceptLanguage: "en" }), "fr");
  assert.equal(i18n.negotiate({ cookie: "nope", acceptLanguage: al }), "fr");
  assert.equal(i18n.negotiate({ acceptLanguage: "fi-FI, en;q=0.1" }), "en");
  assert.equal(i18n.negotiate({ acceptLanguage: "en;q=0.2, fr;q=0.8" }), "fr");
  assert.equal(i18n.negotiate({ acceptLanguage: "fr;q=0, fi" }), "en");
  assert.equal(i18n.negotiate({}), "en");
  const frByDefault = createI18n({ catalogues: loadCatalogues(), defaultLocale: "fr" });
  assert.equal(frByDefault.negotiate({ acceptLanguage: "fi" }), "fr");
});

test("region tags and case fall back to the language", () => {
  assert.equal(i18n.supported("FR_fr"), "fr");
  assert.equal(i18n.supported("fr-BE"), "fr");
  assert.equal(i18n.supported(["fr"]), null);
  assert.equal(i18n.supported("f"), null);
});

test("messages, lifetimes and times read naturally in each language", () => {
  const m = (locale: string) => {
    const messages = i18n.messages(locale);
    // ICU puts no-break spaces in "1 jour" and "3:04 AM"; compare them as plain spaces.
    const plain = (s: string) => s.replace(/\s/g, " ");
    return {
      t: messages.t,
      duration: (s: number) => plain(messages.duration(s)),
      timeLeft: (ms: number, now: number) => plain(messages.timeLeft(ms, now)),
      dateTime: (ms: number) => plain(messages.dateTime(ms)),
    };
  };
  const en = m("en");
  const fr = m("fr");
  assert.equal(
    en.t("form.error.secret_too_large", { count: 10_000 }),
    "This secret is too long: the limit is 10,000 bytes.",
  );
  assert.equal(
    en.t("form.error.secret_too_large", { count: 1 }),
    "This secret is too long: the limit is 1 byte.",
  );
  assert.equal(en.duration(604800), "7 days");
  assert.equal(en.duration(3600), "1 hour");
  assert.equal(fr.duration(1800), "30 minutes");
  assert.equal(fr.duration(86400), "1 jour");
  assert.equal(en.duration(90), "90 seconds");
  assert.equal(en.timeLeft(10 * 3600 * 1000 + 5000, 0), "in 10 hours");
  assert.equal(fr.timeLeft(3 * 86400 * 1000, 0), "dans 3 jours");
  assert.equal(en.dateTime(Date.UTC(2026, 0, 2, 3, 4)), "Jan 2, 2026, 3:04 AM UTC");
  assert.equal(en.t("no.such.key"), "no.such.key");
});

test("a count picks the plural form of its language and is written in its digits", () => {
  const en = i18n.messages("en");
  const fr = i18n.messages("fr");
  const plain = (s: string) => s.replace(/\s/g, " ");
  assert.equal(en.t("mail.state.failed", { count: 1, error: "x" }), "Not delivered: gave up after 1 try (x)");
  assert.equal(
    en.t("mail.state.failed", { count: 5, error: "x" }),
    "Not delivered: gave up after 5 tries (x)",
  );
  assert.equal(fr.t("mail.state.failed", { count: 0, error: "x" }), "Non remis : abandon après 0 essai (x)");
  assert.equal(fr.t("mail.state.failed", { count: 1, error: "x" }), "Non remis : abandon après 1 essai (x)");
  assert.equal(fr.t("mail.state.failed", { count: 3, error: "x" }), "Non remis : abandon après 3 essais (x)");
  assert.equal(
    plain(fr.t("mail.state.failed", { count: 1_000_000, error: "x" })),
    "Non remis : abandon après 1 000 000 d'essais (x)",
  );
  // Without a numeric count: the "other" form, placeholders left as given.
  assert.equal(en.t("revealed.views.more", { count: "{count}" }).includes("{count} more times"), true);
  // The forms a page script picks from, {count} left to fill.
  assert.deepEqual(Object.keys(fr.forms("revealed.views.more")).sort(), ["many", "one", "other"]);
  assert.equal(
    en.forms("mail.state.failed", { error: "e" }).one,
    "Not delivered: gave up after {count} try (e)",
  );
});

test("a language with other plural rules picks its own categories, falling back to #other then English", () => {
  const catalogues = new Map<string, Record<string, string>>([
    ["en", { "k#one": "{count} file", "k#other": "{count} files", plain: "plain" }],
    [
      "pl",
      {
        "k#one": "{count} plik",
        "k#few": "{count} pliki",
        "k#many": "{count} plików",
        "k#other": "{count} pliku",
      },
    ],
    ["ar", { "k#zero": "لا ملفات", "k#other": "{count} ملف" }],
  ]);
  const x = createI18n({ catalogues, defaultLocale: "en" });
  const pl = x.messages("pl");
  assert.deepEqual(
    [1, 2, 5, 22, 1.5].map((n) => pl.t("k", { count: n })),
    ["1 plik", "2 pliki", "5 plików", "22 pliki", "1,5 pliku"],
  );
  const ar = x.messages("ar");
  assert.equal(ar.t("k", { count: 0 }), "لا ملفات");
  assert.equal(ar.t("k", { count: 3 }), "3 ملف");
  assert.equal(pl.t("plain"), "plain");
});
