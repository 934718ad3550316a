// An admin's changes to accounts, in process: disable (its sessions and API token stop at once:
// v1 and v2 refuse it), enable, revoke the token, sign out everywhere, delete after a confirmation;
// each recorded in the audit log with the admin as actor. A change needs the session's CSRF token
// and a sign-in of the last ADMIN_SIGNIN_MAX_AGE seconds: an older one is sent to sign in again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ADMIN, appWithAdmin, PASSWORD } from "./support/admin-app.js";
import type { ManualClock } from "./support/clock.js";
import { basic, postForm, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import { notice, signInViaForm, signUpViaForm, type Visitor, visitor } from "./support/web-support.js";

let t: TestApp;
let clock: ManualClock;
let admin: Visitor;

before(async () => {
  ({ t, clock, admin } = await appWithAdmin({ ADMIN_SIGNIN_MAX_AGE: "600" }));
});
after(() => t.close());

/** A signed-up account, signed in on its visitor, with an API token; and how to use both. */
async function user(email: string) {
  const v = visitor(t.app);
  await signUpViaForm(v, email, PASSWORD);
  await v.get("/account");
  await v.post("/account/token");
  const token = /id="api-token"[^>]*value="([^"]+)"/.exec((await v.get("/account")).body)?.[1] ?? "";
  return {
    v,
    id: t.deps.vault.accountId(email),
    /** v1 answers every error 404, as upstream does, and names the status it means in a header. */
    v1: async () => {
      const res = await postForm(t.app, "/private/recent", {}, { authorization: basic(email, token) });
      return res.statusCode === 404 ? `404 (${res.headers["x-ots-intended-status"]})` : res.statusCode;
    },
    v2: async () =>
      (
        await t.app.inject({
          method: "GET",
          url: "/api/v2/private/recent",
          headers: { authorization: `Bearer ${token}` },
        })
      ).statusCode,
    page: async () => (await v.get("/dashboard")).statusCode,
  };
}

/** An admin change through the accounts page, as its button posts it; the page it lands on. */
async function change(id: string, what: string, q = "") {
  await admin.get(`/admin/accounts?q=${encodeURIComponent(q)}`);
  const res = await admin.post(`/admin/accounts/${id}/${what}`, { q });
  assert.equal(res.statusCode, 303, `${what}: ${res.body.slice(0, 200)}`);
  return admin.get(String(res.headers.location));
}

const latest = async (n: number) =>
  (await t.deps.store.audit.list({ now: clock.now(), limit: n, order: "newest" })).map((e) => [
    e.action,
    e.actor,
    e.target,
    e.outcome,
    e.detail,
  ]);

test("disable: the account's session and API token stop at once (v1, v2); enable lets them back", async () => {
  const u = await user("uma@example.com");
  assert.deepEqual([await u.page(), await u.v1(), await u.v2()], [200, 200, 200]);
  const page = await change(u.id, "disable", "uma");
  assert.equal(notice(page), en("notice.admin_disabled"));
  assert.match(page.body, /<tr role="row" class="disabled">/);
  assert.equal(await u.page(), 303, "the browser is sent to sign in");
  assert.equal(await u.v1(), "404 (401)", "v1's Not authorized: 404, meaning 401");
  assert.equal(await u.v2(), 401);
  assert.deepEqual((await latest(3))[2], ["account_disabled", ADMIN, "uma@example.com", "ok", "admin"]);

  assert.equal(notice(await change(u.id, "enable", "uma")), en("notice.admin_enabled"));
  assert.equal(await u.v1(), 200, "the token was kept");
  assert.equal(await u.page(), 303, "its sessions were ended: sign in anew");
  await signInViaForm(visitor(t.app), "uma@example.com", PASSWORD);
});

test("revoke the token, sign out everywhere, delete after confirming: each at once, each recorded", async () => {
  const u = await user("vic@example.com");
  assert.equal(notice(await change(u.id, "revoke-token", "vic")), en("notice.admin_token_revoked"));
  assert.deepEqual(
    [await u.v1(), await u.v2(), await u.page()],
    ["404 (401)", 401, 200],
    "the session stays",
  );
  assert.equal(notice(await change(u.id, "end-sessions", "vic")), en("notice.admin_sessions_ended"));
  assert.equal(await u.page(), 303);

  const confirm = await admin.get(`/admin/accounts/${u.id}/delete`);
  assert.equal(confirm.statusCode, 200);
  assert.match(confirm.body, /vic@example\.com/);
  assert.equal((await t.deps.store.accounts.get(u.id))?.email, "vic@example.com", "a GET deletes nothing");
  assert.equal(notice(await change(u.id, "delete")), en("notice.admin_deleted"));
  assert.equal(await t.deps.store.accounts.get(u.id), null);
  const byAdmin = (await latest(8)).filter(([, actor]) => actor === ADMIN);
  assert.deepEqual(byAdmin.slice(0, 3), [
    ["account_deleted", ADMIN, "vic@example.com", "ok", "admin"],
    ["sessions_ended", ADMIN, "vic@example.com", "ok", "admin"],
    ["token_revoked", ADMIN, "vic@example.com", "ok", "admin"],
  ]);
  assert.equal((await admin.get(`/admin/accounts/${u.id}/delete`)).statusCode, 404);
});

test("an admin cannot disable or delete their own account here", async () => {
  const self = t.deps.vault.accountId(ADMIN);
  const page = await change(self, "disable", "root");
  assert.equal(notice(page), en("notice.admin_self"));
  assert.equal((await t.deps.store.accounts.get(self))?.disabledAt, null);
  assert.equal((await admin.get(`/admin/accounts/${self}/delete`)).statusCode, 404);
});

test("a change without the session's CSRF token is refused, changes nothing, and is recorded", async () => {
  const u = await user("wes@example.com");
  await admin.get("/admin/accounts");
  const forged = await admin.post(`/admin/accounts/${u.id}/disable`, { _csrf: "forged" });
  assert.equal(forged.statusCode, 403);
  // Another visitor's valid token is bound to their session, not the admin's.
  const other = visitor(t.app);
  await other.get("/");
  for (const [k, v] of admin.cookies) if (k !== "ot_csrf") other.cookies.set(k, v);
  assert.equal((await other.post(`/admin/accounts/${u.id}/disable`)).statusCode, 403);
  const cross = await admin.post(`/admin/accounts/${u.id}/disable`, {}, { "sec-fetch-site": "cross-site" });
  assert.equal(cross.statusCode, 403);
  assert.equal(await u.v1(), 200, "still enabled");
  assert.deepEqual(await latest(3), [
    ["account_disabled", ADMIN, "wes@example.com", "denied", "csrf"],
    ["account_disabled", ADMIN, "wes@example.com", "denied", "csrf"],
    ["account_disabled", ADMIN, "wes@example.com", "denied", "csrf"],
  ]);
});

test("a sign-in older than ADMIN_SIGNIN_MAX_AGE is sent to sign in again, then comes back and may act", async () => {
  const u = await user("xan@example.com");
  clock.advance(601);
  await admin.get("/admin/accounts");
  const stale = await admin.post(`/admin/accounts/${u.id}/disable`, { q: "xan" });
  assert.equal(stale.statusCode, 303);
  assert.equal(stale.headers.location, "/signin?reauth=1&next=%2Fadmin%2Faccounts&notice=signin_again");
  assert.equal(await u.v1(), 200, "nothing changed");
  assert.deepEqual((await latest(1))[0], [
    "account_disabled",
    ADMIN,
    "xan@example.com",
    "denied",
    "signin_too_old",
  ]);
  assert.equal((await admin.get("/admin/accounts")).statusCode, 200, "reading needs no fresh sign-in");

  const form = await admin.get(String(stale.headers.location));
  assert.equal(form.statusCode, 200, "the sign-in form, although signed in");
  assert.equal(notice(form), en("notice.signin_again"));
  assert.match(form.body, new RegExp(`value="${ADMIN}"`), "the address is filled in");
  const back = await admin.post("/signin", { email: ADMIN, password: PASSWORD, next: "/admin/accounts" });
  assert.equal(back.headers.location, "/admin/accounts");
  assert.equal(notice(await change(u.id, "disable", "xan")), en("notice.admin_disabled"));
  assert.equal(await u.v1(), "404 (401)");
});
