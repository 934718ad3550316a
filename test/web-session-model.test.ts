// Web accounts keep principle 3: the data directory holds no password, session token, API token or
// mailed-link token; the list key survives a password change and follows a new API token; a reset
// starts a new list; sessions end when they should.
import assert from "node:assert/strict";
import { test } from "node:test";
import { changePassword } from "../src/actions/change-password.js";
import { confirmAddress } from "../src/actions/confirm-address.js";
import { issueWebToken } from "../src/actions/issue-web-token.js";
import { recent } from "../src/actions/recent.js";
import { requestReset } from "../src/actions/request-reset.js";
import { resetPassword } from "../src/actions/reset-password.js";
import { sessionAccount } from "../src/actions/session-account.js";
import { signIn } from "../src/actions/sign-in.js";
import { signOut } from "../src/actions/sign-out.js";
import { signUp } from "../src/actions/sign-up.js";
import { open } from "../src/crypto/aead.js";
import { isAppError } from "../src/domain/errors.js";
import { scanDataDir } from "./support/data-dir.js";
import { basic, makeTestApp, share } from "./support/helpers.js";

const ip = "192.0.2.7";
const anonymous = { ip, account: null };

test("sign-up, sign-in, tokens and password changes leave no secret in the data directory", async () => {
  const t = await makeTestApp({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true", RATE_LIMIT_ENABLED: "false" });
  try {
    const email = "dora@example.com";
    const password = "correct horse battery staple";
    assert.deepEqual(await signUp(t.deps, anonymous, { email, password, locale: "fr" }), { verified: true });
    const session = await signIn(t.deps, anonymous, { email: " Dora@Example.com ", password });
    const account = await sessionAccount(t.deps, session);
    assert.ok(account !== null && account.listKey !== null);
    assert.equal(account.locale, "fr");

    const token = await issueWebToken(t.deps, anonymous, account);
    const made = await share(t.app, { secret: "listed" }, { authorization: basic(email, token) });
    const viaSession = await recent(t.deps, { ip, account });
    assert.deepEqual(
      viaSession.map((v) => v.metadataKey),
      [made.metadata_key],
      "what the token made, the session lists",
    );

    const newPassword = "another long passphrase";
    const second = await changePassword(t.deps, anonymous, account, { current: password, next: newPassword });
    assert.equal(await sessionAccount(t.deps, session), null, "the old session is signed out");
    const after = await sessionAccount(t.deps, second);
    assert.ok(after !== null);
    assert.deepEqual(
      (await recent(t.deps, { ip, account: after })).map((v) => v.metadataKey),
      [made.metadata_key],
      "the list survives a password change",
    );
    await assert.rejects(signIn(t.deps, anonymous, { email, password }), (e) =>
      isAppError(e, "bad_credentials"),
    );
    scanDataDir(t.dataDir, [password, newPassword, session, second, token]);
    await signOut(t.deps, second);
    assert.equal(await sessionAccount(t.deps, second), null);
  } finally {
    await t.close();
  }
});

test("an unknown address and a wrong password fail alike; sessions expire; malformed tokens are nobody", async () => {
  const t = await makeTestApp({
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    RATE_LIMIT_ENABLED: "false",
    SESSION_TTL: "300",
  });
  try {
    await signUp(t.deps, anonymous, { email: "eve@example.com", password: "12345678", locale: null });
    for (const attempt of [
      { email: "eve@example.com", password: "wrong-one" },
      { email: "nobody@example.com", password: "12345678" },
      { email: "not an address", password: "12345678" },
    ]) {
      await assert.rejects(signIn(t.deps, anonymous, attempt), (e) => isAppError(e, "bad_credentials"));
    }
    const token = await signIn(t.deps, anonymous, { email: "eve@example.com", password: "12345678" });
    assert.ok((await sessionAccount(t.deps, token)) !== null);
    const realNow = t.deps.now;
    t.deps.now = () => realNow() + 301_000;
    assert.equal(await sessionAccount(t.deps, token), null);
    t.deps.now = realNow;
    for (const bad of [undefined, "", "x", `${token}x`, "a".repeat(43)]) {
      assert.equal(await sessionAccount(t.deps, bad), null);
    }
  } finally {
    await t.close();
  }
});

test("a reset needs its mailed link once, starts a new list and signs out everywhere", async () => {
  const t = await makeTestApp({
    AUTH_SIGNUP: "true",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: "9",
    RATE_LIMIT_ENABLED: "false",
  });
  try {
    const email = "finn@example.com";
    assert.deepEqual(await signUp(t.deps, anonymous, { email, password: "first password", locale: null }), {
      verified: false,
    });
    await assert.rejects(signIn(t.deps, anonymous, { email, password: "first password" }), (e) =>
      isAppError(e, "unverified"),
    );
    await requestReset(t.deps, anonymous, { email, locale: null });
    await requestReset(t.deps, anonymous, { email: "ghost@example.com", locale: null });
    // Two mails were queued: the confirmation and the reset; the unknown address got none.
    const mails = [];
    for (;;) {
      const m = await t.deps.store.outbox.claim(Date.now(), 60_000);
      if (m === null) break;
      mails.push(m);
    }
    assert.equal(mails.length, 2);
    const links = mails.map((m) => {
      const opened = open(t.deps.webKeys.mail, m.sealed, `mail:${m.id}`);
      const text = (JSON.parse(String(opened)) as { text: string }).text;
      return /http:\/\/localhost:3000\/(verify|reset)\/([0-9a-z]{50})/.exec(text)?.slice(1) ?? [];
    });
    const resetToken = links.find(([kind]) => kind === "reset")?.[1] ?? "";
    const verifyToken = links.find(([kind]) => kind === "verify")?.[1] ?? "";
    await assert.rejects(
      resetPassword(t.deps, anonymous, { token: verifyToken, password: "second password" }),
      (e) => isAppError(e, "link_invalid"),
      "a confirmation link is not a reset link",
    );
    await assert.rejects(resetPassword(t.deps, anonymous, { token: resetToken, password: "short" }), (e) =>
      isAppError(e, "password_too_short"),
    );
    await resetPassword(t.deps, anonymous, { token: resetToken, password: "second password" });
    await assert.rejects(
      resetPassword(t.deps, anonymous, { token: resetToken, password: "third password" }),
      (e) => isAppError(e, "link_invalid"),
      "the link works once",
    );
    // The reset mail proved the address: signing in works now, with the new password only.
    const session = await signIn(t.deps, anonymous, { email, password: "second password" });
    assert.ok((await sessionAccount(t.deps, session)) !== null);
    await confirmAddress(t.deps, verifyToken);
    await assert.rejects(confirmAddress(t.deps, verifyToken), (e) => isAppError(e, "link_invalid"));
  } finally {
    await t.close();
  }
});
