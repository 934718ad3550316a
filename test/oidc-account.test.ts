// The account page of an account that signs in only with single sign-on (no web password), over
// HTTP against a real provider: no password form; an API token that works on v1; deletion
// confirmed by typing the address from a recent sign-in (an older one signs in with the provider
// again first); a wrong address deletes nothing; once deleted, its session and token stop.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { manualClock } from "./support/clock.js";
import { basic } from "./support/helpers.js";
import { CookieJar, go, loginAtProvider, type SsoSetup, startSignIn, startSso } from "./support/oidc-flow.js";
import { en } from "./support/web-server.js";

const EMAIL = "carol@example.com";
let sso: SsoSetup;

before(async () => {
  sso = await startSso(
    { carol: { email: EMAIL, email_verified: true } },
    { ADMIN_SIGNIN_MAX_AGE: "60", RATE_LIMIT_ENABLED: "false" },
  );
});
after(() => sso.close());

const url = (path: string) => `${sso.server.base}${path}`;
const unescapeHtml = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
const alert = (page: string) =>
  unescapeHtml(/<p class="alert" role="alert"[^>]*>([^<]*)<\/p>/.exec(page)?.[1] ?? "");

async function signIn(jar: CookieJar, next = "") {
  const res = await go(jar, await loginAtProvider(jar, await startSignIn(jar, sso.server, next), "carol"));
  assert.equal(res.status, 303);
  return res;
}

/** The account page, and its CSRF token. */
async function accountPage(jar: CookieJar) {
  const res = await go(jar, url("/account"));
  assert.equal(res.status, 200);
  const page = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  assert.ok(csrf !== undefined);
  return { page, csrf };
}

async function post(jar: CookieJar, path: string, fields: Record<string, string>) {
  return go(jar, url(path), {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });
}

test("an SSO-only account: no password form; deletes itself by its typed address after a fresh sign-in", async () => {
  const jar = new CookieJar();
  await signIn(jar);
  const { page, csrf } = await accountPage(jar);
  assert.ok(!page.includes('type="password"'), "no password field anywhere on the page");
  assert.ok(!page.includes('action="/account/password"'));
  assert.ok(unescapeHtml(page).includes(en("account.password.sso", { name: "Test ID" })));
  assert.ok(page.includes('name="address"'));

  // An API token, as for a local account, that works on v1.
  assert.equal((await post(jar, "/account/token", { _csrf: csrf })).status, 303);
  const token = /id="api-token"[^>]*value="([^"]+)"/.exec((await accountPage(jar)).page)?.[1] ?? "";
  assert.notEqual(token, "");
  const v1 = () =>
    fetch(url("/api/v1/private/recent"), { method: "POST", headers: { authorization: basic(EMAIL, token) } });
  assert.equal((await v1()).status, 200);

  // A wrong address deletes nothing.
  const wrong = await post(jar, "/account/delete", { _csrf: csrf, address: "someone@example.com" });
  assert.equal(wrong.status, 403);
  assert.equal(alert(await wrong.text()), en("account.delete.wrong_address"));
  const id = sso.server.t.deps.vault.accountId(EMAIL);
  assert.notEqual(await sso.server.t.deps.store.accounts.get(id), null);
  assert.equal((await go(jar, url("/dashboard"))).status, 200);

  // No CSRF token: nothing deleted.
  assert.equal((await post(jar, "/account/delete", { address: EMAIL })).status, 403);
  assert.notEqual(await sso.server.t.deps.store.accounts.get(id), null);

  // A sign-in older than ADMIN_SIGNIN_MAX_AGE: sent to sign in with the provider again, back here.
  manualClock(sso.server.t).advance(120);
  const stale = await post(jar, "/account/delete", { _csrf: csrf, address: EMAIL });
  assert.equal(stale.status, 303);
  assert.equal(stale.headers.get("location"), "/signin/oidc?next=%2Faccount");
  assert.notEqual(await sso.server.t.deps.store.accounts.get(id), null);
  const back = await signIn(jar, "/account");
  assert.equal(back.headers.get("location"), "/account");

  const fresh = await accountPage(jar);
  const oldSession = jar.cookies.get("ot_session");
  const deleted = await post(jar, "/account/delete", {
    _csrf: fresh.csrf,
    address: ` ${EMAIL.toUpperCase()} `,
  });
  assert.equal(deleted.status, 303);
  assert.equal(deleted.headers.get("location"), "/?notice=deleted");
  assert.equal(await sso.server.t.deps.store.accounts.get(id), null);

  // Its session and its API token stop.
  const replay = new CookieJar();
  replay.cookies.set("ot_session", oldSession ?? "");
  const dashboard = await go(replay, url("/dashboard"));
  assert.equal(dashboard.status, 303);
  assert.match(dashboard.headers.get("location") ?? "", /^\/signin/);
  const refused = await v1();
  assert.equal(refused.status, 404);
  assert.equal(refused.headers.get("x-ots-intended-status"), "401");

  const log = await sso.server.t.deps.store.audit.list({
    now: sso.server.t.deps.now(),
    limit: 100,
    order: "oldest",
  });
  const entry = log.find((e) => e.action === "account_deleted" && e.target === EMAIL);
  assert.equal(entry?.actor, EMAIL);
  assert.equal(entry?.detail, "web");
  assert.ok(!JSON.stringify(log).includes(token), "no token in the audit log");
});
