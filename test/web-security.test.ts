// The pages' security properties over HTTP: headers, CSRF, assets, logs, rate limits, redirects.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { loadCatalogue } from "../src/i18n/catalogues.js";
import { makeTestApp, postForm, type TestApp } from "./support/helpers.js";
import { createViaForm, heading, visitor } from "./support/web-support.js";

const en = loadCatalogue("en");

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
});
after(() => t.close());

describe("headers and markup", () => {
  test("every page: strict CSP, no referrer, no framing, no caching; no inline script or style", async () => {
    const alice = visitor(t.app);
    const { receiptPath, secretPath } = await createViaForm(alice, { secret: "x", passphrase: "p" });
    const pages = [
      await alice.get("/"),
      await alice.get(receiptPath),
      await alice.get(`${receiptPath}/burn`),
      await alice.get(secretPath),
      await alice.post(secretPath, { passphrase: "wrong" }),
      await alice.post(secretPath, { passphrase: "p" }),
      await alice.get(secretPath),
    ];
    for (const res of pages) {
      const csp = String(res.headers["content-security-policy"]);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.match(csp, /style-src 'self'(;|$)/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /form-action 'self'/);
      assert.doesNotMatch(csp, /unsafe|https?:|\*/);
      assert.equal(res.headers["referrer-policy"], "no-referrer");
      assert.equal(res.headers["cache-control"], "no-store");
      assert.equal(res.headers["x-frame-options"], "DENY");
      assert.equal(res.headers["strict-transport-security"], undefined);
      assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc="\/assets\/)/, "inline script");
      assert.doesNotMatch(res.body, /\sstyle=|<style/, "inline style");
      assert.doesNotMatch(res.body, /(src|href)="(https?:)?\/\//, "third-party resource");
    }
  });

  test("HSTS and __Host- cookies when SSL=true", async () => {
    const tls = await makeTestApp({ RATE_LIMIT_ENABLED: "false", SSL: "true" });
    try {
      const res = await tls.app.inject({ method: "GET", url: "/" });
      assert.equal(res.headers["strict-transport-security"], "max-age=63072000");
      const csrf = res.cookies.find((c) => c.name === "__Host-ot_csrf");
      assert.ok(csrf?.secure && csrf.httpOnly && csrf.path === "/");
      assert.equal(csrf?.sameSite, "Lax");
    } finally {
      await tls.close();
    }
  });

  test("assets carry a content hash and are cached for a year; others are not found", async () => {
    const home = await t.app.inject({ method: "GET", url: "/" });
    const urls = [...home.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? "");
    assert.equal(new Set(urls).size, 3);
    for (const url of urls) {
      const res = await t.app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
      const hash = /\.([0-9a-f]{12})\.\w+$/.exec(url)?.[1];
      assert.equal(hash, createHash("sha256").update(res.rawPayload).digest("hex").slice(0, 12));
    }
    const missing = await t.app.inject({ method: "GET", url: "/assets/app.000000000000.js" });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers["cache-control"], "no-store");
  });
});

describe("CSRF", () => {
  test("a form without the token, with another browser's token or from another site does nothing", async () => {
    const alice = visitor(t.app);
    const { receiptPath, secretPath } = await createViaForm(alice, { secret: "guarded" });
    const mallory = visitor(t.app);
    await mallory.get("/");
    const attempts = [
      () => alice.post(secretPath, { _csrf: "" }),
      () => alice.post(secretPath, { _csrf: mallory.csrf }),
      () => alice.post(secretPath, {}, { "sec-fetch-site": "cross-site" }),
      () => alice.post(`${receiptPath}/burn`, { _csrf: mallory.csrf }),
      () => visitor(t.app).post(secretPath, { _csrf: alice.csrf }),
    ];
    for (const attempt of attempts) {
      const res = await attempt();
      assert.equal(res.statusCode, 403);
      assert.match(res.body, new RegExp(en["form.error.expired"] ?? "?"));
    }
    const bob = visitor(t.app);
    await bob.get(secretPath);
    assert.match((await bob.post(secretPath)).body, />\nguarded<\/textarea>/, "still there");
  });

  test("an expired create form comes back filled in, and nothing is created", async () => {
    const v = visitor(t.app);
    await v.get("/");
    const res = await v.post("/create", { _csrf: "stale", secret: "my draft", ttl: "3600" });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, />\nmy draft<\/textarea>/);
    assert.equal(res.headers.location, undefined);
    const retry = await v.post("/create", { secret: "my draft" });
    assert.equal(retry.statusCode, 303);
  });
});

describe("secrets stay out of URLs and logs", () => {
  test("a whole web flow leaves no secret, passphrase or full key in a log line or a redirect", async () => {
    const before = t.logs.length;
    const alice = visitor(t.app);
    await alice.get("/");
    const created = await alice.post("/create", { secret: "TOPSECRET-4242", passphrase: "PASS-9999" });
    const receiptPath = String(created.headers.location);
    assert.doesNotMatch(receiptPath, /TOPSECRET|PASS-9999/);
    const receipt = await alice.get(receiptPath);
    const secretPath = new URL(/value="(http[^"]+)"/.exec(receipt.body)?.[1] ?? "").pathname;
    const bob = visitor(t.app);
    await bob.get(secretPath);
    await bob.post(secretPath, { passphrase: "PASS-9999" });
    const metadataKey = receiptPath.split("/")[2] ?? "";
    const secretKey = secretPath.split("/")[2] ?? "";
    const lines = t.logs.slice(before).join("");
    assert.ok(lines.includes('"path":"/secret/'), "the requests were logged");
    for (const needle of ["TOPSECRET", "PASS-9999", metadataKey, secretKey]) {
      assert.ok(!lines.includes(needle), `${needle} reached the log`);
    }
  });
});

describe("rate limits apply to the pages", () => {
  test("creating and opening links are counted like the API's", async () => {
    const limited = await makeTestApp({ RATE_LIMIT_CREATE: "2", RATE_LIMIT_REVEAL: "3" });
    try {
      const v = visitor(limited.app);
      await v.get("/");
      assert.equal((await v.post("/create", { secret: "1" })).statusCode, 303);
      assert.equal((await postForm(limited.app, "/share", { secret: "2" })).statusCode, 200);
      const refused = await v.post("/create", { secret: "third, kept" });
      assert.equal(refused.statusCode, 429);
      assert.match(refused.body, />\nthird, kept<\/textarea>/);

      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await v.get(`/secret/${"0".repeat(31)}`)).statusCode);
      assert.deepEqual(statuses, [404, 404, 404, 429]);
      const page = await v.get(`/secret/${"0".repeat(31)}`);
      assert.equal(heading(page), en["error.rate_limited.title"]);
    } finally {
      await limited.close();
    }
  });
});

describe("switchers", () => {
  test("they only send the browser back to a path on this site", async () => {
    const v = visitor(t.app);
    await v.get("/");
    for (const next of ["//evil.example/", "https://evil.example/", "/\\evil", "javascript:alert(1)", ""]) {
      const res = await v.post("/prefs", { locale: "fr", next });
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, "/");
    }
    const back = await v.post("/prefs", { theme: "dark", next: "/secret/abc" });
    assert.equal(back.headers.location, "/secret/abc");
  });

  test("the theme choice is remembered and rendered; 'auto' clears it", async () => {
    const v = visitor(t.app);
    await v.get("/");
    await v.post("/prefs", { theme: "dark", next: "/" });
    assert.match((await v.get("/")).body, /<html lang="en" dir="ltr" data-theme="dark">/);
    await v.post("/prefs", { theme: "auto", next: "/" });
    assert.match((await v.get("/")).body, /<html lang="en" dir="ltr">/);
  });
});
