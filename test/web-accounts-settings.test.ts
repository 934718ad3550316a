// What a signed-in user does on the web: the API token (shown once, the old one dead at once), the
// dashboard (the same list as v1 recent, burn from it), password and language changes, deletion,
// the higher lifetime ceiling, and AUTH_REQUIRED.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { basic, makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import { en, fr } from "./support/web-server.js";
import {
  alertText,
  createViaForm,
  heading,
  notice,
  signInViaForm,
  signUpViaForm,
  type Visitor,
  visitor,
} from "./support/web-support.js";

const PASSWORD = "correct horse battery";
const apiToken = (res: LightMyRequestResponse) =>
  /id="api-token"[^>]*value="([0-9a-z]+)"/.exec(res.body)?.[1];
const ttlOptions = (res: LightMyRequestResponse) =>
  [...res.body.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));

describe("signed in", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
  });
  after(() => t.close());

  async function member(email: string): Promise<Visitor> {
    const v = visitor(t.app);
    const res = await signUpViaForm(v, email, PASSWORD);
    assert.equal(res.statusCode, 303);
    return v;
  }
  const authcheck = (email: string, token: string) =>
    t.app.inject({
      method: "GET",
      url: "/api/v1/authcheck",
      headers: { authorization: basic(email, token) },
    });

  async function newToken(v: Visitor): Promise<string> {
    await v.get("/account");
    const made = await v.post("/account/token");
    assert.equal(made.statusCode, 303);
    assert.equal(made.headers.location, "/account");
    const page = await v.get("/account");
    const token = apiToken(page);
    assert.ok(token, "the new token is on the page");
    assert.match(page.body, new RegExp(en("account.token.once")));
    return token;
  }

  test("the API token is shown once; a new one kills the old one at once", async () => {
    const v = await member("tom@example.com");
    const first = await newToken(v);
    assert.equal(apiToken(await v.get("/account")), undefined, "a reload does not show it again");
    assert.equal((await authcheck("tom@example.com", first)).statusCode, 200);

    const second = await newToken(v);
    assert.notEqual(second, first);
    const old = await authcheck("tom@example.com", first);
    assert.notEqual(old.statusCode, 200, "the old token stops working at once");
    assert.equal(old.headers["x-ots-intended-status"], "401");
    assert.equal((await authcheck("tom@example.com", second)).statusCode, 200);

    // The sealed note is bound to the session that asked: another session of the account cannot open it.
    await v.get("/account");
    await v.post("/account/token");
    const note = v.cookies.get("ot_token");
    assert.ok(note);
    const elsewhere = visitor(t.app);
    await signInViaForm(elsewhere, "tom@example.com", PASSWORD);
    elsewhere.cookies.set("ot_token", note);
    assert.equal(apiToken(await elsewhere.get("/account")), undefined);
  });

  test("the dashboard lists the web's and the API token's secrets, newest first; burn from it comes back", async () => {
    const v = await member("uma@example.com");
    const token = await newToken(v);
    const { receiptPath } = await createViaForm(v, { secret: "made on the web", ttl: "3600" });
    const api = await share(
      t.app,
      { secret: "made with the API", ttl: "7200" },
      { authorization: basic("uma@example.com", token) },
    );
    const anonymous = await share(t.app, { secret: "not hers" });

    const dashboard = await v.get("/dashboard");
    assert.equal(heading(dashboard), en("dashboard.title"));
    const rows = [...dashboard.body.matchAll(/<tr role="row">\s*<td[\s\S]*?<\/tr>/g)].map((m) => m[0]);
    assert.equal(rows.length, 2);
    assert.match(rows[0] ?? "", new RegExp(`href="/receipt/${api.metadata_key}"`), "newest first");
    assert.match(rows[1] ?? "", new RegExp(`href="${receiptPath}"`));
    assert.ok(!dashboard.body.includes(anonymous.metadata_key));
    assert.ok(!dashboard.body.includes(api.secret_key), "no share link on the dashboard");
    const recent = await t.app.inject({
      method: "GET",
      url: "/api/v1/private/recent",
      headers: { authorization: basic("uma@example.com", token) },
    });
    assert.deepEqual(
      recent.json().map((r: { metadata_key: string }) => r.metadata_key),
      [api.metadata_key, receiptPath.split("/")[2]],
      "the same list as v1 recent",
    );

    const burnLink = `/receipt/${api.metadata_key}/burn?next=%2Fdashboard`;
    assert.ok(rows[0]?.includes(`href="${burnLink}"`));
    const confirm = await v.get(burnLink);
    assert.equal(heading(confirm), en("burn.title"));
    const burned = await v.post(`/receipt/${api.metadata_key}/burn`, { next: "/dashboard" });
    assert.equal(burned.statusCode, 303);
    assert.equal(burned.headers.location, "/dashboard");
    const after = await v.get("/dashboard");
    const first = /<tr role="row">\s*<td[\s\S]*?<\/tr>/.exec(after.body)?.[0] ?? "";
    assert.match(first, /class="badge state-burned"/);
    assert.doesNotMatch(first, /\/burn/, "no burn button once burned");
    const read = await postForm(t.app, `/secret/${api.secret_key}`);
    assert.equal(read.headers["x-ots-intended-status"], "404", "the link is dead");
  });

  test("signed in, the lifetime goes up to TTL_MAX; anonymous, to TTL_MAX_ANONYMOUS", async () => {
    const anonymous = visitor(t.app);
    const offered = ttlOptions(await anonymous.get("/"));
    assert.equal(Math.max(...offered), 604800);
    const v = await member("vic@example.com");
    assert.equal(Math.max(...ttlOptions(await v.get("/"))), 2592000);

    const { receipt } = await createViaForm(v, { secret: "a month", ttl: "2592000" });
    assert.match(receipt.body, /data-countdown[^>]*>in 30 days<\/time>/);
    const { receipt: capped } = await createViaForm(anonymous, { secret: "a week at most", ttl: "2592000" });
    assert.match(capped.body, /data-countdown[^>]*>in 7 days<\/time>/, "an anonymous month falls back");
  });

  test("a new password signs every other session out; a wrong current password changes nothing", async () => {
    const v = await member("wes@example.com");
    const other = visitor(t.app);
    await signInViaForm(other, "wes@example.com", PASSWORD);
    const { receiptPath } = await createViaForm(v, { secret: "kept across", ttl: "3600" });

    await v.get("/account");
    const wrong = await v.post("/account/password", { current: "not it", next: "a brand new passphrase" });
    assert.equal(wrong.statusCode, 403);
    assert.equal(alertText(wrong), en("auth.error.wrong_password"));
    assert.ok(!wrong.body.includes("a brand new passphrase"));
    const short = await v.post("/account/password", { current: PASSWORD, next: "short" });
    assert.equal(short.statusCode, 400);
    assert.equal(alertText(short), en("auth.error.password_too_short", { count: 8 }));
    assert.equal((await other.get("/dashboard")).statusCode, 200, "nothing changed yet");

    const before = v.cookies.get("ot_session");
    const changed = await v.post("/account/password", { current: PASSWORD, next: "a brand new passphrase" });
    assert.equal(changed.statusCode, 303);
    assert.equal(changed.headers.location, "/account?notice=password_changed");
    assert.notEqual(v.cookies.get("ot_session"), before, "this browser carries on under a new token");
    assert.equal(notice(await v.get("/account?notice=password_changed")), en("notice.password_changed"));
    assert.equal((await other.get("/dashboard")).statusCode, 303, "the other session is signed out");
    assert.match((await v.get("/dashboard")).body, new RegExp(`href="${receiptPath}"`), "the list is kept");

    const w = visitor(t.app);
    await w.get("/signin");
    assert.equal((await w.post("/signin", { email: "wes@example.com", password: PASSWORD })).statusCode, 401);
    await signInViaForm(w, "wes@example.com", "a brand new passphrase");
  });

  test("the account's language becomes the pages' language when signed in", async () => {
    const v = await member("xia@example.com");
    const account = await v.get("/account");
    assert.match(account.body, /<option value="en" lang="en" selected>/, "the sign-up page's language");
    const saved = await v.post("/account/language", { locale: "fr" });
    assert.equal(saved.statusCode, 303);
    const page = await v.get("/account?notice=language");
    assert.match(page.body, /<html lang="fr"/);
    assert.equal(notice(page), fr("notice.language"));
    assert.match(page.body, /<option value="fr" lang="fr" selected>/);

    // Another browser, no language cookie, an English Accept-Language: signed in, French.
    const w = visitor(t.app);
    assert.match((await w.get("/", { "accept-language": "en" })).body, /<html lang="en"/);
    await signInViaForm(w, "xia@example.com", PASSWORD);
    assert.match((await w.get("/dashboard", { "accept-language": "en" })).body, /<html lang="fr"/);
    assert.match((await w.get("/dashboard?locale=en")).body, /<html lang="en"/, "?locale= still wins");

    await v.post("/account/language", { locale: "" });
    assert.equal(v.cookies.get("ot_locale"), undefined);
    assert.match((await w.get("/dashboard", { "accept-language": "fr" })).body, /<html lang="fr"/);
    assert.match(
      (await w.get("/dashboard", { "accept-language": "en" })).body,
      /<html lang="en"/,
      "the browser's again",
    );
  });

  test("deleting the account needs its password, and takes its receipts and secrets with it", async () => {
    const v = await member("yan@example.com");
    const token = await newToken(v);
    const { receiptPath, secretPath } = await createViaForm(v, {
      secret: "goes with the account",
      ttl: "3600",
    });
    await v.get("/account");
    const wrong = await v.post("/account/delete", { password: "not it" });
    assert.equal(wrong.statusCode, 403);
    assert.equal(alertText(wrong), en("auth.error.wrong_password"));
    assert.equal((await v.get(receiptPath)).statusCode, 200, "nothing deleted");

    const deleted = await v.post("/account/delete", { password: PASSWORD });
    assert.equal(deleted.statusCode, 303);
    assert.equal(deleted.headers.location, "/?notice=deleted");
    assert.equal(notice(await v.get("/?notice=deleted")), en("notice.deleted"));
    assert.equal((await v.get("/dashboard")).statusCode, 303, "signed out");
    assert.equal((await v.get(receiptPath)).statusCode, 404, "the receipt is gone");
    assert.equal((await v.get(secretPath)).statusCode, 404, "and its secret");
    assert.notEqual((await authcheck("yan@example.com", token)).statusCode, 200, "and the API token");
    const w = visitor(t.app);
    await w.get("/signin");
    assert.equal((await w.post("/signin", { email: "yan@example.com", password: PASSWORD })).statusCode, 401);
  });

  test("every account form refuses a missing CSRF token, and signed out they lead to sign-in", async () => {
    const v = await member("zed@example.com");
    await v.get("/account");
    for (const path of ["/account/token", "/account/password", "/account/language", "/account/delete"]) {
      const res = await v.post(path, {
        _csrf: "forged",
        password: PASSWORD,
        current: PASSWORD,
        next: "x".repeat(9),
      });
      assert.equal(res.statusCode, 403, path);
      assert.equal(alertText(res), en("form.error.expired"));
    }
    assert.equal((await v.get("/dashboard")).statusCode, 200, "still there");
    const anonymous = visitor(t.app);
    await anonymous.get("/");
    assert.equal((await anonymous.post("/account/token")).headers.location, "/signin?next=%2Faccount");
  });
});

test("AUTH_REQUIRED: signed out, a sign-in prompt instead of the form, and /create refuses; readers need no account", async () => {
  const t = await makeTestApp({
    RATE_LIMIT_ENABLED: "false",
    AUTH_REQUIRED: "true",
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
  });
  try {
    const anonymous = visitor(t.app);
    const home = await anonymous.get("/");
    assert.equal(home.statusCode, 200);
    assert.equal(home.body.match(/<p class="lead">([^<]*)/)?.[1], en("home.required.lead"));
    assert.doesNotMatch(home.body, /action="\/create"/);
    assert.match(home.body, /class="button primary" href="\/signin"/);
    const refused = await anonymous.post("/create", { secret: "x", ttl: "3600" });
    assert.equal(refused.statusCode, 401);
    assert.equal(await t.deps.store.purgeExpired(Date.now() + 400 * 86400_000), 0, "nothing stored");

    const v = visitor(t.app);
    await signUpViaForm(v, "amy@example.com", PASSWORD);
    const { secretPath } = await createViaForm(v, { secret: "for a reader without an account", ttl: "3600" });
    const reader = visitor(t.app);
    await reader.get(secretPath);
    const revealed = await reader.post(secretPath);
    assert.equal(revealed.statusCode, 200);
    assert.match(revealed.body, /for a reader without an account/);
  } finally {
    await t.close();
  }
});
