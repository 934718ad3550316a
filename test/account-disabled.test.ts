// A disabled account stops everywhere at once: its browser sessions are signed out on their next
// request, its API token is refused on v1 (upstream's 404 "Not authorized") and v2 (401), and its
// password no longer signs in (the page says why once the password is right, and only then). Each
// refusal of the token is in the audit log. Enabled again, the token works and sign-in too.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ANONYMOUS } from "../src/actions/audit.js";
import { basic, makeTestApp, postForm, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import { alertText, signInViaForm, signUpViaForm, visitor } from "./support/web-support.js";

const PASSWORD = "correct horse battery";
let t: TestApp;

before(async () => {
  t = await makeTestApp({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true", RATE_LIMIT_ENABLED: "false" });
});
after(() => t.close());

test("disabled: sessions, v1 and v2 tokens and sign-in stop at once; enabled: they work again", async () => {
  const email = "dan@example.com";
  const v = visitor(t.app);
  await signUpViaForm(v, email, PASSWORD);
  await v.get("/account");
  await v.post("/account/token");
  const token = /id="api-token"[^>]*value="([^"]+)"/.exec((await v.get("/account")).body)?.[1] ?? "";
  const v1 = () => postForm(t.app, "/private/recent", {}, { authorization: basic(email, token) });
  const v2 = () =>
    t.app.inject({
      method: "GET",
      url: "/api/v2/private/recent",
      headers: { authorization: `Bearer ${token}` },
    });
  assert.equal((await v1()).statusCode, 200);
  assert.equal((await v2()).statusCode, 200);
  assert.equal((await v.get("/dashboard")).statusCode, 200);

  const id = t.deps.vault.accountId(email);
  assert.equal(await t.deps.store.accounts.setDisabled(id, t.deps.now(), t.deps.now()), true);

  const page = await v.get("/dashboard");
  assert.equal(page.statusCode, 303, "the session is gone: sent to sign in");
  assert.match(String(page.headers.location), /^\/signin/);
  const refused = await v1();
  assert.equal(refused.statusCode, 404, "v1 answers every error 404, as upstream does");
  assert.equal(refused.headers["x-ots-intended-status"], "401", "and names the 401 it means");
  assert.deepEqual(refused.json(), { message: "Not authorized" });
  assert.equal((await v2()).statusCode, 401);
  const wrong = visitor(t.app);
  await wrong.get("/signin");
  const guess = await wrong.post("/signin", { email, password: "not the password" });
  assert.equal(alertText(guess), en("auth.error.bad_credentials"), "no hint without the password");
  const right = await wrong.post("/signin", { email, password: PASSWORD });
  assert.equal(right.statusCode, 403);
  assert.equal(alertText(right), en("auth.error.account_disabled"));

  const log = await t.deps.store.audit.list({ now: t.deps.now(), limit: 4, order: "newest" });
  assert.deepEqual(
    log.map((e) => [e.action, e.actor, e.target, e.outcome, e.detail]),
    [
      ["signin_failed", ANONYMOUS, email, "failed", "account_disabled"],
      ["signin_failed", ANONYMOUS, email, "failed", "bad_credentials"],
      ["api_auth_failed", ANONYMOUS, email, "failed", "disabled"],
      ["api_auth_failed", ANONYMOUS, email, "failed", "disabled"],
    ],
  );

  assert.equal(await t.deps.store.accounts.setDisabled(id, null, t.deps.now()), true);
  assert.equal((await v1()).statusCode, 200);
  assert.equal((await v2()).statusCode, 200);
  await signInViaForm(visitor(t.app), email, PASSWORD);
});
