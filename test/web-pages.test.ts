// The secret's life through the web pages, in process: what a browser sees over HTTP.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadCatalogue } from "../src/i18n/catalogues.js";
import { makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import {
  alertText,
  createViaForm,
  heading,
  shareLink,
  unescapeHtml,
  visitor,
} from "./support/web-support.js";

const en = loadCatalogue("en");

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
});
after(() => t.close());

const revealV1 = (secretPath: string, form: Record<string, string> = {}) =>
  postForm(t.app, `/${secretPath.replace(/^\/secret\//, "secret/")}`, form);

describe("create → receipt → confirm → reveal", () => {
  test("the form creates a secret; the receipt shows the link; GET only confirms; POST reveals once", async () => {
    const alice = visitor(t.app);
    const { receipt, receiptPath, secretPath } = await createViaForm(alice, {
      secret: "line 1\nline <2> & 3",
    });
    assert.match(receiptPath, /^\/receipt\/[0-9a-z]{31}$/);
    assert.equal(heading(receipt), en["receipt.title.live"]);
    assert.match(receipt.body, /<svg class="qr"/);
    assert.match(
      receipt.body,
      /data-countdown[^>]*>in 7 days<\/time>/,
      "the default lifetime, not 6 days and change",
    );
    assert.match(receipt.body, new RegExp(en["receipt.private.title"] ?? "?"));

    const bob = visitor(t.app);
    for (let i = 0; i < 3; i++) {
      const confirm = await bob.get(secretPath);
      assert.equal(confirm.statusCode, 200);
      assert.equal(heading(confirm), en["secret.title"]);
      assert.doesNotMatch(confirm.body, /line 1/);
    }
    const revealed = await bob.post(secretPath);
    assert.equal(revealed.statusCode, 200);
    assert.equal(heading(revealed), en["revealed.title"]);
    assert.match(revealed.body, /<textarea id="revealed"[^>]*>\nline 1\nline &lt;2&gt; &amp; 3<\/textarea>/);

    const again = await bob.post(secretPath);
    assert.equal(again.statusCode, 404);
    assert.equal(heading(again), en["unavailable.title"]);
    const after = await alice.get(receiptPath);
    assert.match(after.body, /class="badge state-received"/);
    assert.doesNotMatch(after.body, /id="share-link"/);
  });

  test("bots' GET and HEAD of the link, with any user agent, consume nothing", async () => {
    const { secretPath } = await createViaForm(visitor(t.app), { secret: "for the human" });
    const bot = visitor(t.app);
    for (const ua of ["Slackbot-LinkExpanding 1.0", "facebookexternalhit/1.1", "curl/8.5.0", "Mozilla/5.0"]) {
      assert.equal((await bot.get(secretPath, { "user-agent": ua })).statusCode, 200);
      assert.equal((await bot.head(secretPath, { "user-agent": ua })).statusCode, 200);
    }
    const res = await revealV1(secretPath);
    assert.equal(res.json().value, "for the human");
  });

  test("a wrong passphrase says so and consumes nothing; the right one reveals", async () => {
    const { secretPath, receipt } = await createViaForm(visitor(t.app), {
      secret: "s3cret",
      passphrase: "pass word",
    });
    assert.match(receipt.body, new RegExp(en["receipt.passphrase.yes"] ?? "?"));
    const bob = visitor(t.app);
    const confirm = await bob.get(secretPath);
    assert.match(confirm.body, /id="passphrase"/);
    for (const wrong of ["", "pass", "PASS WORD"]) {
      const res = await bob.post(secretPath, { passphrase: wrong });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, new RegExp(en["form.error.wrong_passphrase"] ?? "?"));
    }
    const right = await bob.post(secretPath, { passphrase: "pass word" });
    assert.equal(right.statusCode, 200);
    assert.match(right.body, />\ns3cret<\/textarea>/);
  });

  test("burn from the receipt page: confirmation, passphrase, then the link is dead", async () => {
    const alice = visitor(t.app);
    const { receiptPath, secretPath } = await createViaForm(alice, { secret: "burn me", passphrase: "pp" });
    const ask = await alice.get(`${receiptPath}/burn`);
    assert.equal(heading(ask), en["burn.title"]);
    assert.match(ask.body, /id="passphrase"/);
    const wrong = await alice.post(`${receiptPath}/burn`, { passphrase: "nope" });
    assert.equal(wrong.statusCode, 403);
    assert.match(wrong.body, new RegExp(en["form.error.wrong_passphrase"] ?? "?"));
    assert.equal((await visitor(t.app).get(secretPath)).statusCode, 200, "a wrong passphrase burns nothing");

    const burned = await alice.post(`${receiptPath}/burn`, { passphrase: "pp" });
    assert.equal(burned.statusCode, 303);
    assert.equal(burned.headers.location, receiptPath);
    const receipt = await alice.get(receiptPath);
    assert.equal(heading(receipt), en["receipt.title.burned"]);
    assert.match(receipt.body, /class="badge state-burned"/);
    assert.equal((await visitor(t.app).get(secretPath)).statusCode, 404);
    // Asking to burn it again just shows the receipt.
    assert.equal((await alice.get(`${receiptPath}/burn`)).statusCode, 303);
  });

  test("generate: the password shows once on the receipt, and it is what the link reveals", async () => {
    const alice = visitor(t.app);
    await alice.get("/");
    const created = await alice.post("/create", { mode: "generate", secret: "ignored", ttl: "3600" });
    assert.equal(created.statusCode, 303);
    const note = created.cookies.find((c) => c.name === "ot_note");
    assert.equal(note?.path, "/receipt/");
    assert.equal(note?.httpOnly, true);
    const receiptPath = String(created.headers.location);
    const first = await alice.get(receiptPath);
    const password = unescapeHtml(/id="generated"[^>]*value="([^"]*)"/.exec(first.body)?.[1] ?? "");
    assert.equal(password.length, 12);
    const second = await alice.get(receiptPath);
    assert.doesNotMatch(second.body, /id="generated"/);
    const res = await revealV1(new URL(shareLink(second)).pathname);
    assert.equal(res.json().value, password);
  });

  test("a note made for one receipt does not open on another", async () => {
    const alice = visitor(t.app);
    await alice.get("/");
    await alice.post("/create", { mode: "generate" });
    const other = await createViaForm(visitor(t.app), { secret: "x" });
    const res = await alice.get(other.receiptPath);
    assert.doesNotMatch(res.body, /id="generated"/);
  });
});

describe("v1 keys are web addresses", () => {
  test("/secret/<secret_key>, /private/<metadata_key> and /receipt/<metadata_key>", async () => {
    const made = await share(t.app, { secret: "from the API", ttl: "3600" });
    const v = visitor(t.app);
    assert.equal(heading(await v.get(`/secret/${made.secret_key}`)), en["secret.title"]);
    for (const prefix of ["private", "receipt"]) {
      const page = await v.get(`/${prefix}/${made.metadata_key}`);
      assert.equal(page.statusCode, 200);
      assert.equal(shareLink(page), `http://localhost:3000/secret/${made.secret_key}`);
    }
    const revealed = await v.post(`/secret/${made.secret_key}`);
    assert.match(revealed.body, />\nfrom the API<\/textarea>/);
  });
});

describe("one 'not available' page", () => {
  test("unknown, read, burned and expired keys get the same page, byte for byte", async () => {
    const v = visitor(t.app);
    const read = await share(t.app, { secret: "a" });
    await revealV1(`/secret/${read.secret_key}`);
    const burned = await share(t.app, { secret: "b" });
    await postForm(t.app, `/private/${burned.metadata_key}/burn`);
    const expiring = await share(t.app, { secret: "c", ttl: "60" });
    const unknown = "0".repeat(31);

    const pages: Awaited<ReturnType<typeof v.get>>[] = [];
    for (const key of [unknown, read.secret_key, burned.secret_key, "not-even-a-key!", "x".repeat(500)]) {
      pages.push(await v.get(`/secret/${encodeURIComponent(key)}`));
    }
    const realNow = t.deps.now;
    t.deps.now = () => realNow() + 61_000;
    try {
      pages.push(await v.get(`/secret/${expiring.secret_key}`));
      pages.push(await v.post(`/secret/${expiring.secret_key}`));
    } finally {
      t.deps.now = realNow;
    }
    pages.push(await v.post(`/secret/${read.secret_key}`));
    // The language switcher returns to the page's own address; apart from it, every byte is equal.
    const body = (page: (typeof pages)[number]) => page.body.replaceAll(/name="next" value="[^"]*"/g, "");
    for (const page of pages) {
      assert.equal(page.statusCode, 404);
      assert.equal(body(page), body(pages[0] ?? page));
    }
    const [first] = pages;
    assert.ok(first);
    assert.equal(heading(first), en["unavailable.title"]);
  });
});

describe("bad input is refused clearly and loses nothing", () => {
  test("an empty secret or a too-long one returns the form, filled in", async () => {
    const small = await makeTestApp({ RATE_LIMIT_ENABLED: "false", SECRET_MAX_LENGTH: "10" });
    try {
      const v = visitor(small.app);
      await v.get("/");
      const empty = await v.post("/create", { secret: "", passphrase: "keep me", ttl: "3600" });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, new RegExp(en["form.error.nothing_to_share"] ?? "?"));
      assert.match(empty.body, /value="keep me"/);
      assert.match(empty.body, /<option value="3600" selected>/);
      const long = await v.post("/create", { secret: "é".repeat(6) });
      assert.equal(long.statusCode, 413);
      assert.match(long.body, /the limit is 10 bytes/);
      assert.match(long.body, />\néééééé<\/textarea>/);
    } finally {
      await small.close();
    }
  });

  test("malformed encoding gets the form back with a message, oversized bodies an error page", async () => {
    const v = visitor(t.app);
    await v.get("/");
    const cookie = { cookie: [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; ") };
    const bad = await t.app.inject({
      method: "POST",
      url: "/create",
      headers: { "content-type": "application/x-www-form-urlencoded", ...cookie },
      payload: `_csrf=${v.csrf}&secret=%E0%A4%A`,
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(alertText(bad), en["form.error.unreadable"]);
    const huge = await v.post("/create", { secret: "a".repeat(100_000) });
    assert.equal(huge.statusCode, 413);
    const json = await t.app.inject({
      method: "POST",
      url: "/create",
      headers: { "content-type": "application/json" },
      payload: "{}",
    });
    assert.equal(json.statusCode, 400);
    assert.match(String(json.headers["content-type"]), /^text\/html/);
  });

  test("an unknown address is a page for browsers and v1's JSON for everything else", async () => {
    const page = await t.app.inject({ method: "GET", url: "/nope", headers: { accept: "text/html,*/*" } });
    assert.equal(page.statusCode, 404);
    assert.equal(heading(page), en["error.not_found.title"]);
    for (const [url, accept] of [
      ["/nope", "*/*"],
      ["/api/v1/nope", "text/html"],
    ]) {
      const res = await t.app.inject({ method: "GET", url, headers: { accept } });
      assert.equal(res.statusCode, 404);
      assert.deepEqual(res.json(), { error: "Not Found" });
    }
  });
});

describe("the form's lifetimes agree with the API", () => {
  test("TTL_OPTIONS=60 DEFAULT_TTL=3600: the form offers and preselects an hour, the API's default", async () => {
    const other = await makeTestApp({ RATE_LIMIT_ENABLED: "false", TTL_OPTIONS: "60", DEFAULT_TTL: "3600" });
    try {
      const home = await visitor(other.app).get("/");
      const options = [...home.body.matchAll(/<option value="(\d+)"( selected)?>/g)].map((m) => [
        Number(m[1]),
        m[2] !== undefined,
      ]);
      assert.deepEqual(options, [
        [60, false],
        [3600, true],
      ]);
      assert.equal((await share(other.app, { secret: "sent without a ttl" })).ttl, 3600);
    } finally {
      await other.close();
    }
  });
});
