// Issue 19, point 4: every account-security event is in the audit log — sign-in, failed sign-in,
// a refused API token, token created or revoked, password changed or reset, account created or
// deleted — on the web, the API and the command line, with who, what, when and from where (the
// client's pseudonym, never its address), and nothing secret in any entry.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ANONYMOUS, SYSTEM } from "../src/actions/audit.js";
import { createAccount } from "../src/actions/create-account.js";
import { deleteAccount } from "../src/actions/delete-account.js";
import { issueToken } from "../src/actions/issue-token.js";
import { clientKey } from "../src/actions/rate-limit.js";
import { requestReset } from "../src/actions/request-reset.js";
import { resetPassword } from "../src/actions/reset-password.js";
import { open } from "../src/crypto/aead.js";
import type { AuditEntry } from "../src/store/types.js";
import { manualClock } from "./support/clock.js";
import { basic, makeTestApp, postForm, type TestApp } from "./support/helpers.js";
import { signInViaForm, signUpViaForm, visitor } from "./support/web-support.js";

const PASSWORD = "correct horse battery";
// app.inject() comes from this address unless a request says otherwise.
const INJECTED = { ip: "127.0.0.1" };

let t: TestApp;
before(async () => {
  t = await makeTestApp({
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    RATE_LIMIT_ENABLED: "false",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: "9",
  });
});
after(() => t.close());

/** The log, oldest first, from `since` (an entry id) on. */
async function entriesAfter(since?: string): Promise<AuditEntry[]> {
  return t.deps.store.audit.list({ now: t.deps.now(), limit: 1000, order: "oldest", after: since });
}

const latestId = async () =>
  (await t.deps.store.audit.list({ now: t.deps.now(), limit: 1, order: "newest" }))[0]?.id;

/** What an entry says, without its id, time and expiry. */
const what = (e: AuditEntry) => [e.action, e.actor, e.target, e.outcome, e.detail];

/** The API token shown on the account page after asking for one. */
async function webToken(v: ReturnType<typeof visitor>): Promise<string> {
  await v.get("/account");
  assert.equal((await v.post("/account/token")).statusCode, 303);
  const token = /id="api-token"[^>]*value="([^"]+)"/.exec((await v.get("/account")).body)?.[1];
  assert.ok(token !== undefined);
  return token;
}

test("the web's account events: created, signed in, failed, token, password, deleted", async () => {
  const email = "ada@example.com";
  const v = visitor(t.app);
  const start = await latestId();
  assert.equal((await signUpViaForm(v, email, PASSWORD)).statusCode, 303);
  const failed = visitor(t.app);
  await failed.get("/signin");
  await failed.post("/signin", { email, password: "not the password" });
  await failed.post("/signin", { email: "nobody@example.com", password: "anything at all" });
  const token = await webToken(v);
  const wrongToken = `${token.slice(0, -2)}xx`;
  const refused = await postForm(t.app, "/private/recent", {}, { authorization: basic(email, wrongToken) });
  assert.equal(refused.statusCode, 404);
  await v.get("/account");
  assert.equal(
    (await v.post("/account/password", { current: PASSWORD, next: "a second passphrase" })).statusCode,
    303,
  );
  await v.get("/account");
  assert.equal((await v.post("/account/delete", { password: "a second passphrase" })).statusCode, 303);

  const entries = await entriesAfter(start);
  assert.deepEqual(entries.map(what), [
    ["account_created", email, email, "ok", "web"],
    ["signin", email, email, "ok", ""],
    ["signin_failed", ANONYMOUS, email, "failed", "bad_credentials"],
    ["signin_failed", ANONYMOUS, "", "failed", "bad_credentials"],
    ["token_created", email, email, "ok", "web"],
    ["api_auth_failed", ANONYMOUS, email, "failed", "bad_credentials"],
    ["password_changed", email, email, "ok", ""],
    ["token_revoked", email, email, "ok", "password_changed"],
    ["account_deleted", email, email, "ok", "web"],
  ]);
  const pseudonym = clientKey(t.deps, INJECTED);
  assert.ok(/^[0-9a-f]{32}$/.test(pseudonym));
  assert.ok(
    entries.every((e) => e.ip === pseudonym),
    "every entry names the client by its pseudonym",
  );
  const written = JSON.stringify(entries);
  for (const secret of [
    PASSWORD,
    "a second passphrase",
    "not the password",
    token,
    wrongToken,
    "127.0.0.1",
  ]) {
    assert.ok(!written.includes(secret), `no entry holds ${secret}`);
  }
  assert.ok(!written.includes("nobody@example.com"), "an address with no account is not written down");
});

test("a password reset from its mailed link, and the command line's accounts, as `system`", async () => {
  const email = "bea@example.com";
  const start = await latestId();
  const token = await createAccount(t.deps, email);
  await issueToken(t.deps, email);
  await requestReset(t.deps, { ...INJECTED, account: null }, { email, locale: null });
  const mail = await t.deps.store.outbox.claim(t.deps.now(), 60_000);
  assert.ok(mail !== null);
  const text = (
    JSON.parse(String(open(t.deps.webKeys.mail, mail.sealed, `mail:${mail.id}`))) as { text: string }
  ).text;
  const resetToken = /\/reset\/([0-9a-z]+)/.exec(text)?.[1] ?? "";
  await resetPassword(t.deps, { ip: "198.51.100.4" }, { token: resetToken, password: "a fresh password" });
  await deleteAccount(t.deps, email);

  const entries = await entriesAfter(start);
  assert.deepEqual(entries.map(what), [
    ["account_created", SYSTEM, email, "ok", "cli"],
    ["token_created", SYSTEM, email, "ok", "cli"],
    ["token_created", SYSTEM, email, "ok", "cli"],
    ["password_reset", email, email, "ok", ""],
    ["token_revoked", email, email, "ok", "password_reset"],
    ["account_deleted", SYSTEM, email, "ok", "cli"],
  ]);
  assert.deepEqual(
    entries.map((e) => e.ip),
    ["", "", "", clientKey(t.deps, { ip: "198.51.100.4" }), clientKey(t.deps, { ip: "198.51.100.4" }), ""],
    "the command line has no client; the reset names the one that used the link",
  );
  const written = JSON.stringify(entries);
  for (const secret of [token, resetToken, "a fresh password", "198.51.100.4"])
    assert.ok(!written.includes(secret));
});

test("an entry is kept AUDIT_RETENTION_DAYS, then the sweep deletes it", async () => {
  const short = await makeTestApp({
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    AUDIT_RETENTION_DAYS: "2",
  });
  try {
    const clock = manualClock(short);
    await signUpViaForm(visitor(short.app), "cleo@example.com", PASSWORD);
    await signInViaForm(visitor(short.app), "cleo@example.com", PASSWORD);
    const list = () => short.deps.store.audit.list({ now: clock.now(), limit: 10, order: "oldest" });
    const made = await list();
    assert.equal(made.length, 3);
    assert.ok(made.every((e) => e.expiresAt === e.at + 2 * 86_400_000));
    clock.advance(2 * 86_400 - 1);
    assert.equal((await list()).length, 3, "still there just before");
    clock.advance(1);
    assert.deepEqual(await list(), [], "expired entries read as absent at once");
    assert.ok((await short.deps.store.purgeExpired(clock.now())) >= 3, "and the sweep deletes them");
  } finally {
    await short.close();
  }
});
