// Secret requests over API v2 (docs/requests.md), over a real socket, each answer checked against the
// OpenAPI document: a signed-in requester makes a request with its own public key; an anonymous
// sender answers it sealed to that key; the requester lists and opens the answer with its private
// key (another key fails); the link used up, closed and expired; racing senders; the mail to the
// requester (a real SMTP server), which holds no note, answer or key; the store never sees them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import * as rq from "../src/crypto/request-key.js";
import * as zk from "../src/crypto/zk.js";
import { createMailWorker } from "../src/mail/outbox.js";
import { createMailer } from "../src/mail/transport.js";
import { type ManualClock, manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";
import { type ContractChecker, checkerFor, type Json, v2Client } from "./support/v2-support.js";

const mailEnv = (port: number) => ({
  SMTP_HOST: "127.0.0.1",
  SMTP_PORT: String(port),
  FROM_EMAIL: "secrets@example.org",
  MAIL_RETRY_BASE: "1",
});

const at = (json: Json, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v as Json | undefined)?.[k], json);

describe("secret requests over API v2", () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let clock: ManualClock;
  let worker: ReturnType<typeof createMailWorker>;
  let call: ReturnType<typeof v2Client>;
  let checker: ContractChecker;
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
    checker = await checkerFor(t.app);
    call = v2Client(t.app, checker);
    alice = await makeAccount(t.deps, "alice@example.com");
  });
  after(async () => {
    await worker.stop();
    await t.close();
    await smtp.close();
  });

  async function makeRequest(note: string, fields: Json = {}) {
    const keys = await rq.newRequesterKeys();
    const made = await call("POST", "/request", {
      json: { request: { note, public_key: rq.encodeRequestKey(keys.publicKey), ...fields } },
      headers: { authorization: alice.authorization },
    });
    assert.equal(made.status, 200, made.raw);
    return { keys, record: made.body.record as Json };
  }

  /** What a sender's client does with the request link: look, seal to the fragment's key, answer. */
  async function answer(requestUrl: string, text: string) {
    const [path, fragment] = requestUrl.split("#");
    const key = (path ?? "").split("/").at(-1) ?? "";
    const publicKey = rq.decodePublicKey(fragment ?? "");
    const { k, senderKey } = await rq.answerKey(publicKey);
    const sealed = await zk.seal(text, k);
    return call("POST", `/request/${key}/answer`, {
      json: {
        answer: {
          ciphertext: zk.toBase64Url(sealed.blob),
          proof: zk.toBase64Url(sealed.proof),
          sender_key: rq.encodeRequestKey(senderKey),
        },
      },
    });
  }

  /** What the requester's client does: list, derive each answer's key, reveal with its proof. */
  async function openAnswers(requesterKey: string, privateKey: Uint8Array) {
    const view = await call("GET", `/requester/${requesterKey}`);
    assert.equal(view.status, 200, view.raw);
    const out: string[] = [];
    for (const a of at(view.body, "record.answers") as Json[]) {
      const k = await rq.openAnswerKey(privateKey, rq.decodePublicKey(a.sender_key as string));
      const secretKey = at(a, "receipt.secret_identifier") as string;
      const revealed = await call("POST", `/secret/${secretKey}/reveal`, {
        json: { proof: zk.toBase64Url(await zk.proofFor(k)) },
      });
      if (revealed.status !== 200) {
        out.push(`refused ${revealed.status}`);
        continue;
      }
      out.push(await zk.open(zk.fromBase64Url(at(revealed.body, "record.ciphertext") as string), k));
    }
    return out;
  }

  test("requested, answered anonymously, listed for the requester, opened with its key only; mailed", async () => {
    const { keys, record } = await makeRequest("the staging DB password");
    assert.equal(record.state, "open");
    assert.match(
      record.request_url as string,
      /^http:\/\/localhost:3000\/request\/[0-9a-z]{31}#[A-Za-z0-9_-]{87}$/,
    );
    assert.equal(record.requester_path, `/requester/${record.requester_key}`);

    const requestKey = record.request_key as string;
    const look = await call("GET", `/request/${requestKey}`);
    assert.deepEqual(
      {
        note: at(look.body, "record.note"),
        state: at(look.body, "record.state"),
        pk: at(look.body, "record.public_key"),
      },
      { note: "the staging DB password", state: "open", pk: record.public_key },
    );
    // Nothing about the requester in the sender's look.
    assert.ok(!look.raw.includes("alice"), look.raw);

    const answered = await answer(record.request_url as string, "hunter2-staging");
    assert.equal(answered.status, 200, answered.raw);
    assert.deepEqual(
      [at(answered.body, "record.answers_used"), at(answered.body, "record.answers_max")],
      [1, 1],
    );

    // Used up: the sender's look says so, without the key; a second answer is refused.
    const used = await call("GET", `/request/${requestKey}`);
    assert.deepEqual([at(used.body, "record.state"), at(used.body, "record.public_key")], ["used", null]);
    const again = await answer(record.request_url as string, "too late");
    assert.deepEqual([again.status, again.body.error_type], [410, "RequestClosed"]);

    // Listed for the signed-in requester, under its request, with the answer's receipt.
    const listed = await call("GET", "/requests", { headers: { authorization: alice.authorization } });
    const mine = (listed.body.records as Json[]).find((r) => r.request_key === requestKey);
    assert.equal(((mine?.answers as Json[] | undefined) ?? []).length, 1);
    assert.equal(
      at(((mine?.answers as Json[] | undefined) ?? [])[0] as Json, "receipt.custid"),
      "alice@example.com",
    );
    // The list never hands out a secret key: opening needs the requester link.
    assert.equal(
      at(((mine?.answers as Json[] | undefined) ?? [])[0] as Json, "receipt.secret_identifier"),
      undefined,
    );

    // Someone else's private key derives another key: its proof is refused, nothing consumed.
    const stranger = await rq.newRequesterKeys();
    assert.deepEqual(await openAnswers(record.requester_key as string, stranger.privateKey), ["refused 422"]);
    assert.deepEqual(await openAnswers(record.requester_key as string, keys.privateKey), ["hunter2-staging"]);

    await worker.drain();
    const mail = await smtp.take((m) => m.to.includes("alice@example.com"), "the request mail");
    assert.equal(mail.headers.subject, "Your secret request was answered");
    for (const s of [
      "hunter2-staging",
      "the staging DB password",
      requestKey,
      record.requester_key as string,
    ])
      assert.ok(!mail.raw.includes(s), "the mail holds no note, answer or key");

    // The store and the logs hold neither the note nor the answer.
    const logs = t.logs.join("");
    for (const s of [
      "hunter2-staging",
      "the staging DB password",
      requestKey,
      record.requester_key as string,
    ])
      assert.ok(!logs.includes(s), `logs hold no ${s.slice(0, 4)}…`);
  });

  test("racing senders on a 2-answer request: two are stored, the others told it is closed", async () => {
    const { keys, record } = await makeRequest("two API keys", { answers: 2 });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => answer(record.request_url as string, `key-${i}`)),
    );
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 200, 410, 410, 410, 410, 410, 410]);
    const opened = await openAnswers(record.requester_key as string, keys.privateKey);
    assert.equal(opened.length, 2);
    for (const text of opened) assert.match(text, /^key-\d$/);
  });

  test("closed early, then expired: the sender's look says which, and answers are refused", async () => {
    const closing = await makeRequest("closed soon", { answers: 3 });
    const closed = await call("POST", `/requester/${closing.record.requester_key}/close`);
    assert.equal(at(closed.body, "record.state"), "closed");
    const look = await call("GET", `/request/${closing.record.request_key}`);
    assert.equal(at(look.body, "record.state"), "closed");
    assert.equal((await answer(closing.record.request_url as string, "x")).status, 410);

    const expiring = await makeRequest("expires", { ttl: 3600 });
    clock.advance(3600);
    const expired = await call("GET", `/request/${expiring.record.request_key}`);
    assert.deepEqual(
      [at(expired.body, "record.state"), at(expired.body, "record.note")],
      ["expired", "expires"],
    );
    const late = await answer(expiring.record.request_url as string, "late");
    assert.deepEqual([late.status, late.body.error_type], [410, "RequestClosed"]);
  });

  test("refusals: no account, a bad public key, an unknown request link", async () => {
    const keys = await rq.newRequesterKeys();
    const anonymous = await call("POST", "/request", {
      json: { request: { note: "x", public_key: rq.encodeRequestKey(keys.publicKey) } },
    });
    assert.equal(anonymous.status, 401);
    const bad = keys.publicKey.slice();
    bad[64] = (bad[64] ?? 0) ^ 1;
    const offCurve = await call("POST", "/request", {
      json: { request: { note: "x", public_key: rq.encodeRequestKey(bad) } },
      headers: { authorization: alice.authorization },
    });
    assert.deepEqual([offCurve.status, offCurve.body.field], [422, "public_key"]);
    const unknown = await call("GET", "/request/0000000000000000000000000000000");
    assert.equal(unknown.status, 404);
  });

  test("every request operation of the document was answered here with its success", () => {
    let checked = 0;
    for (const [path, ops] of Object.entries(checker.doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (!(op as { tags?: string[] }).tags?.includes("request")) continue;
        checked++;
        assert.ok(checker.seen.has(`${method.toUpperCase()} ${path} 200`), `${method} ${path}`);
      }
    }
    assert.equal(checked, 6);
  });
});
