// Read notifications by mail, against a real SMTP server in process: the creator who asked is told
// of each read, of a burn, and of an expiry (the clock moved, not slept through), each once, in the
// account's language, and the raw message never holds the secret, its link, its key or the receipt's.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { sendExpiryNotices } from "../src/actions/notices.js";
import { receiptShortId } from "../src/domain/notify.js";
import { createMailWorker } from "../src/mail/outbox.js";
import { createMailer } from "../src/mail/transport.js";
import { type ManualClock, manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { type ReceivedMail, startSmtp, type TestSmtp } from "./support/smtp.js";
import { createViaForm, signUpViaForm, visitor } from "./support/web-support.js";

const mailEnv = (port: number) => ({
  RATE_LIMIT_ENABLED: "false",
  SMTP_HOST: "127.0.0.1",
  SMTP_PORT: String(port),
  FROM_EMAIL: "secrets@example.org",
  MAIL_RETRY_BASE: "1",
  AUTH_SIGNUP: "true",
  AUTH_AUTOVERIFY: "true",
});

type Json = Record<string, unknown>;

/** The value at a dotted path of an answer. */
function at(json: Json, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v as Json | undefined)?.[k], json);
}

async function v2(t: TestApp, url: string, body: Json, authorization?: string) {
  const res = await t.app.inject({
    method: "POST",
    url: `/api/v2${url}`,
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    payload: JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() as Json };
}

/** Shares `secret` with `fields`; returns its keys and receipt id. */
async function conceal(t: TestApp, authorization: string | undefined, secret: string, fields: Json) {
  const made = await v2(t, "/secret/conceal", { secret: { secret, ...fields } }, authorization);
  assert.equal(made.status, 200, JSON.stringify(made.json));
  const secretKey = at(made.json, "record.secret.key") as string;
  const metadataKey = at(made.json, "record.receipt.key") as string;
  return { secretKey, metadataKey, receiptId: t.deps.vault.receiptId(metadataKey) };
}

/** Nothing that opens the secret or its receipt is anywhere in the raw message. */
function assertNothingSecret(mail: ReceivedMail, ...secrets: string[]) {
  for (const s of secrets) assert.ok(!mail.raw.includes(s), `the mail does not hold ${s.slice(0, 4)}…`);
  assert.doesNotMatch(mail.raw, /\/secret\/|\/receipt\/|\/private\//, "no secret or receipt link");
}

describe("read notifications by mail", () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let clock: ManualClock;
  let worker: ReturnType<typeof createMailWorker>;
  let alice: { authorization: string; email: string };

  before(async () => {
    smtp = await startSmtp(await freePort());
    t = await makeTestApp(mailEnv(smtp.port));
    clock = manualClock(t);
    const smtpConfig = t.deps.config.mail.smtp;
    if (smtpConfig === null) throw new Error("SMTP_HOST is not set");
    worker = createMailWorker(
      {
        store: t.deps.store,
        log: t.deps.log,
        now: t.deps.now,
        key: t.deps.webKeys.mail,
        config: t.deps.config.mail,
      },
      createMailer(smtpConfig, t.deps.config.mail),
    );
    alice = await makeAccount(t.deps, "alice@example.com");
  });
  after(async () => {
    await worker.stop();
    await t.close();
    await smtp.close();
  });

  const mailTo = async (to: string, subject: string) => {
    await worker.drain();
    return smtp.take((m) => m.to.includes(to) && m.headers.subject === subject, `${subject} to ${to}`);
  };

  test("each read of a 2-view secret mails its creator once, with the time and the views; never the secret", async () => {
    const s = await conceal(t, alice.authorization, "plaintext-read-4711", { views: 2, notify: ["read"] });
    const readAt = clock.ms;
    for (let view = 1; view <= 2; view++) {
      const read = await v2(t, `/secret/${s.secretKey}/reveal`, {});
      assert.equal(at(read.json, "record.secret_value"), "plaintext-read-4711");
      const mail = await mailTo("alice@example.com", "Your secret was read");
      assert.match(mail.text, new RegExp(`Views read: ${view} of 2\\.`));
      assert.match(
        mail.text,
        /^http:\/\/localhost:3000\/dashboard$/m,
        "the receipt is reached through the dashboard",
      );
      assert.ok(mail.text.includes(`receipt ${receiptShortId(s.receiptId)}`));
      assert.ok(mail.text.includes(String(new Date(readAt).getUTCFullYear())), "the time of the read");
      assertNothingSecret(mail, "plaintext-read-4711", s.secretKey, s.metadataKey);
    }
    await worker.drain();
    assert.equal(smtp.received.length, 0, "one mail per read, no more");
  });

  test("a burn mails once; a secret that did not ask mails nothing", async () => {
    const s = await conceal(t, alice.authorization, "plaintext-burn-4711", { notify: true });
    const quiet = await conceal(t, alice.authorization, "plaintext-quiet", {});
    assert.equal((await v2(t, `/receipt/${s.metadataKey}/burn`, {}, alice.authorization)).status, 200);
    assert.equal((await v2(t, `/receipt/${quiet.metadataKey}/burn`, {}, alice.authorization)).status, 200);
    await v2(t, `/secret/${quiet.secretKey}/reveal`, {});
    const mail = await mailTo("alice@example.com", "Your secret was burned");
    assertNothingSecret(mail, "plaintext-burn-4711", s.secretKey, s.metadataKey);
    await worker.drain();
    assert.equal(smtp.received.length, 0);
  });

  test("an expiry unread mails once, however many sweeps race for it; a read secret's does not", async () => {
    const s = await conceal(t, alice.authorization, "plaintext-expire-4711", {
      ttl: 60,
      notify: ["expired"],
    });
    const read = await conceal(t, alice.authorization, "plaintext-read-then", {
      ttl: 60,
      notify: ["expired"],
    });
    await v2(t, `/secret/${read.secretKey}/reveal`, {});
    assert.equal(await sendExpiryNotices(t.deps), 0, "not due before the TTL");
    clock.advance(61);
    const claimed = await Promise.all(Array.from({ length: 8 }, () => sendExpiryNotices(t.deps)));
    assert.equal(
      claimed.reduce((a, b) => a + b, 0),
      1,
    );
    const mail = await mailTo("alice@example.com", "Your secret expired unread");
    assertNothingSecret(mail, "plaintext-expire-4711", s.secretKey, s.metadataKey);
    const receipt = await t.deps.store.secrets.getReceipt(s.receiptId, clock.ms);
    assert.equal(receipt?.state, "expired", "the sweep moved the receipt");
    await worker.drain();
    assert.equal(smtp.received.length, 0);
  });

  test("in the account's language (French)", async () => {
    const fr = await makeAccount(t.deps, "zoe@example.fr");
    await setCredentials(t, "zoe@example.fr", { verifiedAt: clock.ms, locale: "fr" });
    const s = await conceal(t, fr.authorization, "texte-secret-4711", { notify: ["read"] });
    await v2(t, `/secret/${s.secretKey}/reveal`, {});
    const mail = await mailTo("zoe@example.fr", "Votre secret a été lu");
    assert.match(mail.text, /Son reçu se trouve sur votre tableau de bord/);
    assertNothingSecret(mail, "texte-secret-4711", s.secretKey, s.metadataKey);
  });

  test("the web form offers the checkbox to a signed-in user only, and a ticked one is told", async () => {
    assert.doesNotMatch((await visitor(t.app).get("/")).body, /name="notify"/, "not offered anonymously");
    const v = visitor(t.app);
    await signUpViaForm(v, "web@example.com", "correct horse battery");
    assert.match((await v.get("/")).body, /<input type="checkbox" id="notify" name="notify" value="1"/);
    const made = await createViaForm(v, { secret: "plaintext-web-4711", notify: "1" });
    const secretKey = made.secretPath.split("/").pop() ?? "";
    await v2(t, `/secret/${secretKey}/reveal`, {});
    const mail = await mailTo("web@example.com", "Your secret was read");
    assertNothingSecret(mail, "plaintext-web-4711", secretKey, made.receiptPath.split("/").pop() ?? "");
    const unticked = await createViaForm(v, { secret: "plaintext-web-quiet" });
    await v2(t, `/secret/${unticked.secretPath.split("/").pop()}/reveal`, {});
    await worker.drain();
    assert.equal(smtp.received.length, 0, "unticked: no mail");
  });

  test("refused without an account, before the address is confirmed; nothing stored", async () => {
    const anonymous = await v2(t, "/secret/conceal", { secret: { secret: "x", notify: true } });
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.error_type, "Unauthorized");
    const bob = await makeAccount(t.deps, "bob@example.com");
    await setCredentials(t, "bob@example.com", { verifiedAt: null, locale: null });
    const unverified = await v2(
      t,
      "/secret/conceal",
      { secret: { secret: "x", notify: ["burned"] } },
      bob.authorization,
    );
    assert.equal(unverified.status, 403);
    const unknown = await v2(
      t,
      "/secret/conceal",
      { secret: { secret: "x", notify: ["opened"] } },
      alice.authorization,
    );
    assert.equal(unknown.status, 422);
  });

  test("a server without mail refuses to promise a notice", async () => {
    const plain = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
    try {
      const carol = await makeAccount(plain.deps, "carol@example.com");
      const res = await v2(
        plain,
        "/secret/conceal",
        { secret: { secret: "x", notify: true } },
        carol.authorization,
      );
      assert.equal(res.status, 422);
      assert.equal(res.json.error, "This server sends no email: read notifications are unavailable.");
    } finally {
      await plain.close();
    }
  });
});

/** Gives a CLI-made account web credentials (random: nobody signs in with them) with these settings. */
async function setCredentials(
  t: TestApp,
  email: string,
  o: { verifiedAt: number | null; locale: string | null },
) {
  await t.deps.store.accounts.setCredentials({
    accountId: t.deps.vault.accountId(email),
    salt: randomBytes(16),
    verifier: randomBytes(32),
    wrappedListKey: null,
    verifiedAt: o.verifiedAt,
    locale: o.locale,
    updatedAt: t.deps.now(),
  });
}
