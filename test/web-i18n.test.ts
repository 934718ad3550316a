// Language choice on the pages: ?locale=, then the switcher's cookie, then Accept-Language, then
// I18N_DEFAULT_LOCALE; every page and error in the chosen language.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { availableLocales, loadCatalogue } from "../src/i18n/catalogues.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { heading, visitor } from "./support/web-support.js";

const en = loadCatalogue("en");
const fr = loadCatalogue("fr");
const lang = (body: string) => /<html lang="([^"]+)"/.exec(body)?.[1];

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
});
after(() => t.close());

test("?locale= wins over the cookie and Accept-Language, and follows the visitor through the flow", async () => {
  const v = visitor(t.app);
  const home = await v.get("/?locale=fr", { "accept-language": "en" });
  assert.equal(lang(home.body), "fr");
  assert.equal(heading(home), fr["home.title"]);
  assert.match(home.body, /action="\/create\?locale=fr"/);
  const created = await v.post("/create?locale=fr", { secret: "bonjour" });
  assert.match(String(created.headers.location), /^\/receipt\/\w+\?locale=fr$/);
  const receipt = await v.get(String(created.headers.location));
  assert.equal(heading(receipt), fr["receipt.title.live"]);
  assert.match(receipt.body, /Expire<\/dt>/);
});

test("the switcher's cookie, then Accept-Language, then the default", async () => {
  const v = visitor(t.app);
  assert.equal(lang((await v.get("/", { "accept-language": "fr-CA,fr;q=0.9" })).body), "fr");
  assert.equal(lang((await v.get("/", { "accept-language": "fi, en;q=0.5" })).body), "en");
  await v.post("/prefs", { locale: "fr", next: "/" });
  assert.equal(lang((await v.get("/", { "accept-language": "en" })).body), "fr");
  assert.equal(lang((await v.get("/?locale=en")).body), "en");

  const frDefault = await makeTestApp({ I18N_DEFAULT_LOCALE: "fr" });
  try {
    assert.equal(lang((await frDefault.app.inject({ method: "GET", url: "/" })).body), "fr");
  } finally {
    await frDefault.close();
  }
});

test("the pages and v1's locale read Accept-Language the same way: weights, regions, refusals", async () => {
  const v = visitor(t.app);
  const v1Locale = async (headers: Record<string, string>, query = "") => {
    const res = await t.app.inject({ method: "GET", url: `/api/v1/status${query}`, headers });
    return (res.json() as { locale: string }).locale;
  };
  // With English refused, "*" or nothing else acceptable means the first other language served.
  const firstOther = availableLocales().find((code) => code !== "en") ?? "en";
  const cases: [string, string][] = [
    ["en;q=0.1, fr", "fr"],
    ["fi, en;q=0.2, fr;q=0.8", "fr"],
    ["fr-CA, en;q=0.9", "fr"],
    ["fr;q=0, fr-CA", "en"],
    ["en;q=0", firstOther],
    ["en;q=0.5, *", firstOther],
    ["fr;q=zero, fi", "en"],
  ];
  for (const [header, expected] of cases) {
    const headers = { "accept-language": header };
    assert.equal(lang((await v.get("/", headers)).body), expected, `page, ${header}`);
    assert.equal(await v1Locale(headers), expected, `v1, ${header}`);
  }
  // A locale asked for by name wins on both, region or case notwithstanding.
  assert.equal(lang((await v.get("/?locale=FR-be", { "accept-language": "en" })).body), "fr");
  assert.equal(await v1Locale({ "accept-language": "en" }, "?locale=FR-be"), "fr");
});

test("errors and the 'not available' page are translated too", async () => {
  const v = visitor(t.app);
  await v.get("/?locale=fr");
  const empty = await v.post("/create?locale=fr", { secret: "" });
  assert.match(empty.body, new RegExp(fr["form.error.nothing_to_share"] ?? "?"));
  const gone = await v.get(`/secret/${"0".repeat(31)}?locale=fr`);
  assert.equal(heading(gone), fr["unavailable.title"]);
  const stale = await v.post(`/secret/${"0".repeat(31)}?locale=fr`, { _csrf: "x" });
  assert.equal(heading(stale), fr["unavailable.title"]);
  assert.notEqual(fr["unavailable.title"], en["unavailable.title"]);
});
