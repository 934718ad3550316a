// Email to recipients through the durable outbox, against a real SMTP server in process: the mail
// carries the link and never the secret; an SMTP outage or a restart loses nothing; a refusal is
// final and shown; every state reaches the receipt.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Deps } from "../src/actions/deps.js";
import { createMailWorker } from "../src/mail/outbox.js";
import { createMailer } from "../src/mail/transport.js";
import { manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";

function workerFor(deps: Deps, options: { leaseMs?: number } = {}) {
  const smtp = deps.config.mail.smtp;
  if (smtp === null) throw new Error("SMTP_HOST is not set");
  return createMailWorker(
    { store: deps.store, log: deps.log, now: deps.now, key: deps.webKeys.mail, config: deps.config.mail },
    createMailer(smtp, deps.config.mail),
    { intervalMs: 50, ...options },
  );
}

const mailEnv = (port: number) => ({
  RATE_LIMIT_ENABLED: "false",
  SMTP_HOST: "127.0.0.1",
  SMTP_PORT: String(port),
  FROM_EMAIL: "secrets@example.org",
  FROM_NAME: "Example secrets",
  MAIL_RETRY_BASE: "1",
  MAIL_MAX_ATTEMPTS: "3",
});

/** A new account shares `form` with a recipient (bob@example.net unless `form` names another). */
async function shareWithMail(t: TestApp, form: Record<string, string> = {}, email = "alice@example.com") {
  const sender = await makeAccount(t.deps, email);
  const made = await share(
    t.app,
    { secret: "x", recipient: "bob@example.net", ...form },
    { authorization: sender.authorization },
  );
  return { ...made, receiptId: t.deps.vault.receiptId(made.metadata_key) };
}

async function receiptOf(t: TestApp, metadataKey: string): Promise<string> {
  return (await t.app.inject({ method: "GET", url: `/receipt/${metadataKey}` })).body;
}

describe("with an SMTP server", () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let worker: ReturnType<typeof workerFor>;
  before(async () => {
    smtp = await startSmtp(await freePort());
    t = await makeTestApp(mailEnv(smtp.port));
    worker = workerFor(t.deps);
    worker.start();
  });
  after(async () => {
    await worker.stop();
    await t.close();
    await smtp.close();
  });

  test("the recipient gets the link — never the secret — with Reply-To the sender", async () => {
    const alice = await makeAccount(t.deps, "alice@example.com");
    const made = await share(
      t.app,
      { secret: "the-plaintext-4711", recipient: "Bob <bob@example.net>", passphrase: "open" },
      { authorization: alice.authorization },
    );
    const [mail] = await smtp.waitFor(1);
    assert.ok(mail);
    assert.deepEqual(mail.to, ["bob@example.net"]);
    assert.equal(mail.from, "secrets@example.org");
    assert.equal(mail.headers.from, "Example secrets <secrets@example.org>");
    assert.equal(mail.headers["reply-to"], "alice@example.com");
    assert.equal(mail.headers.subject, "alice@example.com sent you a secret");
    assert.match(mail.text, new RegExp(`^http://localhost:3000/secret/${made.secret_key}$`, "m"));
    assert.match(mail.text, /protected by a passphrase/);
    assert.ok(!mail.raw.includes("the-plaintext-4711"), "the secret is not in the mail");
    assert.ok(!mail.raw.includes("open\n"), "nor the passphrase");
    assert.ok(!mail.raw.includes(made.metadata_key as string), "nor the private receipt key");
    // The mail is in; the worker records it as sent in the same drain: wait for that drain.
    await worker.drain();
    const page = await receiptOf(t, made.metadata_key);
    assert.match(page, /class="mail-sent"/);
    assert.match(page, /bo\*\*\*\*\*@e\*\*\*\*\*\.net/);
    assert.equal(
      (await t.deps.store.outbox.status(t.deps.vault.receiptId(made.metadata_key), Date.now()))?.attempts,
      1,
    );
  });

  test("locale=fr sends it in French; no passphrase, no passphrase line", async () => {
    const before = smtp.received.length;
    await shareWithMail(t, { recipient: "dan@example.net", locale: "fr" }, "carol@example.com");
    const mails = await smtp.waitFor(before + 1);
    const mail = mails[before];
    assert.equal(mail?.headers.subject, "carol@example.com vous a envoyé un secret");
    assert.match(mail?.text ?? "", /ne fonctionne qu'une fois/);
    assert.doesNotMatch(mail?.text ?? "", /phrase secrète/);
  });

  test("a refused address fails at once, and the receipt says so", async () => {
    const refusing = await startSmtp(await freePort(), { rejectRecipients: true });
    const r = await makeTestApp(mailEnv(refusing.port));
    const w = workerFor(r.deps);
    try {
      const made = await shareWithMail(r, { recipient: "nobody@example.net" }, "erin@example.com");
      assert.equal(await w.drain(), 1);
      const status = await r.deps.store.outbox.status(made.receiptId, Date.now());
      assert.deepEqual(
        { state: status?.state, attempts: status?.attempts },
        { state: "failed", attempts: 1 },
      );
      assert.match(await receiptOf(r, made.metadata_key), /gave up after 1 try \(smtp_550\)/);
      assert.equal(await w.drain(), 0, "not tried again");
    } finally {
      await w.stop();
      await r.close();
      await refusing.close();
    }
  });
});

test("SMTP down, then up: the mail arrives after a retry", async () => {
  const port = await freePort();
  const t = await makeTestApp(mailEnv(port));
  const clock = manualClock(t);
  const worker = workerFor(t.deps);
  let smtp: TestSmtp | null = null;
  try {
    const made = await shareWithMail(t);
    const { receiptId } = made;
    assert.equal(await worker.drain(), 1);
    const failed = await t.deps.store.outbox.status(receiptId, clock.now());
    assert.deepEqual(
      { state: failed?.state, attempts: failed?.attempts, error: failed?.lastError },
      {
        state: "queued",
        attempts: 1,
        error: "ECONNREFUSED",
      },
    );
    assert.match(
      await receiptOf(t, made.metadata_key),
      /try 1 failed \(ECONNREFUSED\); it will be tried again/,
    );
    clock.advance(0.5);
    assert.equal(await worker.drain(), 0, "the retry waits for its backoff (MAIL_RETRY_BASE=1)");

    smtp = await startSmtp(port);
    clock.advance(0.6);
    assert.equal(await worker.drain(), 1, "due once the backoff is over");
    const [mail] = await smtp.waitFor(1);
    assert.deepEqual(mail?.to, ["bob@example.net"]);
    const sent = await t.deps.store.outbox.status(receiptId, clock.now());
    assert.deepEqual({ state: sent?.state, attempts: sent?.attempts }, { state: "sent", attempts: 2 });
    // Past every backoff and lease: nothing is left to send.
    clock.advance(24 * 3600);
    assert.equal(await worker.drain(), 0);
    assert.equal(smtp.received.length, 1, "delivered once");
  } finally {
    await worker.stop();
    await t.close();
    await smtp?.close();
  }
});

test("a restart between queueing and sending: delivered once, by the next process", async () => {
  const smtp = await startSmtp(await freePort());
  const env = mailEnv(smtp.port);
  // The first process queues the mail and stops before any worker runs.
  const first = await makeTestApp(env);
  const made = await shareWithMail(first);
  const dataDir = first.dataDir;
  await first.app.close();
  await first.deps.store.close();
  assert.equal(smtp.received.length, 0);

  const second = await makeTestApp({ ...env, DATA_DIR: dataDir });
  const clock = manualClock(second);
  // A worker that claims the mail and dies before sending holds it only for its lease.
  const doomed = await second.deps.store.outbox.claim(clock.now(), 300);
  assert.ok(doomed !== null);
  const worker = workerFor(second.deps);
  try {
    clock.advance(0.2);
    assert.equal(await worker.drain(), 0, "leased by the dead worker (300 ms)");
    clock.advance(0.2);
    assert.equal(await worker.drain(), 1, "free once the lease is over");
    await smtp.waitFor(1);
    assert.equal(await worker.drain(), 0);
    assert.equal(smtp.received.length, 1);
    const status = await second.deps.store.outbox.status(
      second.deps.vault.receiptId(made.metadata_key),
      clock.now(),
    );
    assert.deepEqual({ state: status?.state, attempts: status?.attempts }, { state: "sent", attempts: 2 });
  } finally {
    await worker.stop();
    await second.close();
    await smtp.close();
  }
});

test("without SMTP_HOST nothing is queued, and the receipt says the mail was not sent", async () => {
  const t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
  try {
    const made = await shareWithMail(t);
    assert.equal(await t.deps.store.outbox.claim(Date.now(), 1000), null);
    assert.match(await receiptOf(t, made.metadata_key), /Not sent: this server has no mail server set up/);
    const v1 = await postForm(t.app, `/private/${made.metadata_key}`);
    assert.deepEqual(v1.json().recipient, ["bo*****@e*****.net"]);
  } finally {
    await t.close();
  }
});
