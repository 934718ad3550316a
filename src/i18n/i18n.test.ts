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
  assert.equal(i18n.negotiate({ acceptLanguage: "de-DE, en;q=0.1" }), "en");
  assert.equal(i18n.negotiate({ acceptLanguage: "en;q=0.2, fr;q=0.8" }), "fr");
  assert.equal(i18n.negotiate({ acceptLanguage: "fr;q=0, de" }), "en");
  assert.equal(i18n.negotiate({}), "en");
  const frByDefault = createI18n({ catalogues: loadCatalogues(), defaultLocale: "fr" });
  assert.equal(frByDefault.negotiate({ acceptLanguage: "de" }), "fr");
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
    en.t("form.error.secret_too_large", { max: 10 }),
    "This secret is too long: the limit is 10 bytes.",
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
