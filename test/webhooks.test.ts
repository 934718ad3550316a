// Webhooks end to end: a receiver started here on loopback (allowed through WEBHOOK_ALLOWED_HOSTS)
// gets each event of an account's secrets — created, read, burned, expired — once, signed so that
// the documented recipe (docs/webhooks.md) accepts it and refuses it tampered; a receiver that is
// down and then up gets its delivery through the retries; without the allow-list nothing reaches a
// loopback receiver and the delivery log says why; no body holds the secret, its link or a key.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { hostname } from "node:os";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { deleteAccount } from "../src/actions/delete-account.js";
import { sendExpiryNotices } from "../src/actions/notices.js";
import { queueWebhookEvent } from "../src/actions/webhook-events.js";
import { addWebhook, listWebhooks } from "../src/actions/webhooks.js";
import * as rq from "../src/crypto/request-key.js";
import * as zk from "../src/crypto/zk.js";
import { receiptShortId } from "../src/domain/notify.js";
import { createWebhookWorker, type WebhookWorker } from "../src/server/webhook-worker.js";
import { makeAccount, makeTestApp, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { tempDir } from "./support/temp.js";
import { waitFor } from "./support/wait.js";

type Json = Record<string, unknown>;
type Recipe = (secret: string, headers: http.IncomingHttpHeaders, rawBody: string) => boolean;

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/** A webhook receiver on 127.0.0.1 that keeps what it gets; `start` and `stop` bring it up and down. */
function receiver(port: number) {
  const got: Received[] = [];
  const events = new EventEmitter();
  let server: http.Server | null = null;
  return {
    got,
    events,
    url: `http://localhost:${port}/hook`,
    async start() {
      server = http.createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        got.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
          at: performance.now(),
        });
        res.writeHead(204).end();
        events.emit("delivery");
      });
      server.listen(port, "127.0.0.1");
      await new Promise((done) => server?.once("listening", done));
    },
    async stop() {
      const s = server;
      server = null;
      if (s !== null) await new Promise((done) => s.close(done));
    },
  };
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

async function conceal(t: TestApp, authorization: string, secret: string, fields: Json = {}) {
  const made = await v2(t, "/secret/conceal", { secret: { secret, ...fields } }, authorization);
  assert.equal(made.status, 200, JSON.stringify(made.json));
  const record = made.json.record as { secret: { key: string }; receipt: { key: string } };
  const secretKey = record.secret.key;
  const metadataKey = record.receipt.key;
  return { secretKey, metadataKey, receiptId: t.deps.vault.receiptId(metadataKey) };
}

/** The first js block of docs/webhooks.md's "Verifying a delivery", imported as written. */
async function documentedRecipe(dir: string): Promise<Recipe> {
  const markdown = readFileSync(resolve(import.meta.dirname, "../docs/webhooks.md"), "utf8");
  const section = markdown.split(/^## /m).find((part) => part.startsWith("Verifying a delivery\n"));
  const code = /```js\n([\s\S]*?)```/.exec(section ?? "")?.[1];
  assert.ok(code, "docs/webhooks.md has a js block under Verifying a delivery");
  const file = join(dir, "recipe.mjs");
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href)).verifyOnetimeWebhook as Recipe;
}

const typeOf = (r: Received) => (JSON.parse(r.body) as { type: string }).type;
const receiptOf = (r: Received) => (JSON.parse(r.body) as { data: { receipt: string } }).data.receipt;

/** Nothing that opens the secret or its receipt is in any delivery. */
function assertNothingSecret(got: Received[], ...secrets: string[]) {
  for (const r of got) {
    const raw = `${JSON.stringify(r.headers)}\n${r.body}`;
    for (const s of secrets) assert.ok(!raw.includes(s), `no delivery holds ${s.slice(0, 4)}…`);
    assert.doesNotMatch(raw, /\/secret\/|\/receipt\/|\/private\//, "no secret or receipt link");
  }
}

describe("webhooks to a receiver on loopback, allowed", () => {
  const dir = tempDir("onetime-webhooks-");
  let t: TestApp;
  let worker: WebhookWorker;
  let hook: ReturnType<typeof receiver>;
  let alice: { authorization: string; email: string };
  let secret: string;
  let recipe: Recipe;

  before(async () => {
    hook = receiver(await freePort());
    await hook.start();
    t = await makeTestApp({
      RATE_LIMIT_ENABLED: "false",
      WEBHOOK_ALLOWED_HOSTS: "localhost",
      WEBHOOK_RETRY_BASE_MS: "20",
      WEBHOOK_MAX_ATTEMPTS: "30",
    });
    worker = createWebhookWorker(t.deps);
    worker.start();
    alice = await makeAccount(t.deps, "alice@example.com");
    const events = ["secret.created", "secret.read", "secret.burned", "secret.expired"];
    ({ secret } = await addWebhook(t.deps, t.deps.vault.accountId(alice.email), { url: hook.url, events }));
    recipe = await documentedRecipe(dir.path);
  });
  after(async () => {
    await worker.stop();
    await t.close();
    await hook.stop();
    dir.remove();
  });

  const deliveryOf = (type: string, receiptId: string) =>
    waitFor(() => hook.got.find((r) => typeOf(r) === type && receiptOf(r) === receiptShortId(receiptId)), {
      what: `the ${type} delivery`,
      on: { emitter: hook.events, event: "delivery" },
    });

  test("created, read, burned and expired each arrive once, signed; a tampered body fails the recipe", async (ctx) => {
    const read = await conceal(t, alice.authorization, "plaintext-read-4711");
    const burned = await conceal(t, alice.authorization, "plaintext-burn-4711");
    const expiring = await conceal(t, alice.authorization, "plaintext-expire-4711", { ttl: 60 });
    assert.equal((await v2(t, `/secret/${read.secretKey}/reveal`, {})).status, 200);
    assert.equal((await v2(t, `/receipt/${burned.metadataKey}/burn`, {}, alice.authorization)).status, 200);
    // The expiry: the sweep runs with the clock a TTL ahead (no sleep).
    // It stays ahead until the end of the test: the expiry's delivery is due at the clock's time.
    const real = t.deps.now;
    t.deps.now = () => real() + 61_000;
    ctx.after(() => {
      t.deps.now = real;
    });
    assert.equal(await sendExpiryNotices(t.deps), 1);

    const expected = [
      ["secret.created", read],
      ["secret.created", burned],
      ["secret.created", expiring],
      ["secret.read", read],
      ["secret.burned", burned],
      ["secret.expired", expiring],
    ] as const;
    for (const [type, s] of expected) {
      const got = await deliveryOf(type, s.receiptId);
      assert.equal(recipe(secret, got.headers, got.body), true, `${type}: the recipe accepts it`);
      const tampered = got.body.replace(/"views_used":\d/, '"views_used":9');
      assert.notEqual(tampered, got.body);
      assert.equal(recipe(secret, got.headers, tampered), false, `${type}: tampered, refused`);
      const body = JSON.parse(got.body) as { id: string; type: string; data: Json };
      assert.equal(body.id, got.headers["webhook-id"], "the body carries the event id of the header");
      assert.deepEqual(Object.keys(body.data).sort(), [
        "created_at",
        "expires_at",
        "receipt",
        "state",
        "views",
        "views_used",
      ]);
    }
    const read1 = await deliveryOf("secret.read", read.receiptId);
    assert.deepEqual(
      [JSON.parse(read1.body).data.state, JSON.parse(read1.body).data.views_used],
      ["received", 1],
    );
    await worker.drain();
    assert.equal(hook.got.length, expected.length, "each event once, nothing else");
    assert.equal(new Set(hook.got.map((r) => r.headers["webhook-id"])).size, expected.length, "one id each");
    assertNothingSecret(
      hook.got,
      "plaintext",
      ...[read, burned, expiring].flatMap((s) => [s.secretKey, s.metadataKey, s.receiptId]),
      secret,
      secret.slice("whsec_".length),
    );
    const [endpoint] = await listWebhooks(t.deps, t.deps.vault.accountId(alice.email));
    assert.equal(endpoint?.log.length, expected.length);
    assert.ok(
      endpoint?.log.every((d) => d.state === "delivered" && d.attempts === 1 && d.lastStatus === 204),
    );
  });

  test("a receiver down then up gets the delivery after retries, under the same event id", async () => {
    const down = receiver(await freePort());
    const accountId = t.deps.vault.accountId(alice.email);
    const { id, secret: downSecret } = await addWebhook(t.deps, accountId, {
      url: down.url,
      events: ["secret.created"],
    });
    try {
      const s = await conceal(t, alice.authorization, "plaintext-down-4711");
      const logOf = async () => (await listWebhooks(t.deps, accountId)).find((e) => e.id === id)?.log[0];
      const failing = await waitFor(
        async () => {
          const d = await logOf();
          // A claim counts its try before making it: a third claim means two tries failed.
          return d !== undefined && d.attempts >= 3 && d.lastError === "connect_failed" && d;
        },
        { what: "two failed tries" },
      );
      assert.equal(failing.state, "queued");
      await down.start();
      const got = await waitFor(() => down.got[0], {
        what: "the retried delivery",
        on: { emitter: down.events, event: "delivery" },
      });
      assert.equal(receiptOf(got), receiptShortId(s.receiptId));
      assert.equal(got.headers["webhook-id"], failing.eventId);
      assert.equal(recipe(downSecret, got.headers, got.body), true);
      const done = await waitFor(
        async () => {
          const d = await logOf();
          return d?.state === "delivered" && d;
        },
        { what: "the log to say delivered" },
      );
      assert.ok(done.attempts >= 3, `tried ${done.attempts} times`);
      assert.equal(done.lastStatus, 204);
    } finally {
      await down.stop();
    }
  });

  test("a disabled account's deliveries are not sent; a deleted account's endpoints go with it", async () => {
    const carol = await makeAccount(t.deps, "carol@example.com");
    const accountId = t.deps.vault.accountId(carol.email);
    await addWebhook(t.deps, accountId, { url: hook.url, events: ["secret.created"] });
    const before = hook.got.length;
    // Disabled first (it can no longer make secrets): an event queued meanwhile, as by the sweep.
    await t.deps.store.accounts.setDisabled(accountId, t.deps.now(), t.deps.now());
    const now = t.deps.now();
    const data = {
      receipt: "0123456789",
      state: "expired",
      createdAt: now,
      expiresAt: now,
      viewsUsed: 0,
      views: 1,
    };
    await queueWebhookEvent(t.deps, accountId, "secret.created", data);
    const log = await waitFor(
      async () => {
        const [endpoint] = await listWebhooks(t.deps, accountId);
        return endpoint?.log[0]?.state === "failed" && endpoint.log;
      },
      { what: "the refused delivery in the log" },
    );
    assert.deepEqual(
      log.map((d) => [d.state, d.attempts, d.lastError]),
      [["failed", 1, "account_disabled"]],
    );
    assert.equal(hook.got.length, before, "nothing reached the receiver");
    await deleteAccount(t.deps, carol.email);
    assert.deepEqual(await t.deps.store.webhooks.listEndpoints(accountId), []);
  });

  test("an answered secret request is told once, signed, with its answer's receipt and counts", async () => {
    const dave = await makeAccount(t.deps, "dave@example.com");
    const accountId = t.deps.vault.accountId(dave.email);
    const { secret: daveSecret } = await addWebhook(t.deps, accountId, {
      url: hook.url,
      events: ["request.answered"],
    });
    const keys = await rq.newRequesterKeys();
    const made = await v2(
      t,
      "/request",
      {
        request: {
          note: "the staging password",
          public_key: rq.encodeRequestKey(keys.publicKey),
          answers: 2,
        },
      },
      dave.authorization,
    );
    assert.equal(made.status, 200, JSON.stringify(made.json));
    const record = made.json.record as { request_key: string; request_url: string };
    const { k, senderKey } = await rq.answerKey(rq.decodePublicKey(record.request_url.split("#")[1] ?? ""));
    const sealed = await zk.seal("plaintext-answer-4711", k);
    const answered = await v2(t, `/request/${record.request_key}/answer`, {
      answer: {
        ciphertext: zk.toBase64Url(sealed.blob),
        proof: zk.toBase64Url(sealed.proof),
        sender_key: rq.encodeRequestKey(senderKey),
      },
    });
    assert.equal(answered.status, 200, JSON.stringify(answered.json));
    const got = await waitFor(() => hook.got.find((r) => typeOf(r) === "request.answered"), {
      what: "the request.answered delivery",
      on: { emitter: hook.events, event: "delivery" },
    });
    assert.equal(recipe(daveSecret, got.headers, got.body), true, "the recipe accepts it");
    assert.equal(
      recipe(daveSecret, got.headers, got.body.replace('"answers_used":1', '"answers_used":2')),
      false,
    );
    const data = (JSON.parse(got.body) as { data: Json }).data;
    assert.deepEqual([data.state, data.answers_used, data.answers_max, data.views], ["new", 1, 2, 1]);
    await worker.drain();
    assert.equal(hook.got.filter((r) => typeOf(r) === "request.answered").length, 1, "once");
    assertNothingSecret([got], "plaintext", "staging", record.request_key, daveSecret.slice("whsec_".length));
  });

  test("delay from a read to the receiver (median of 20)", async (ctx) => {
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = await conceal(t, alice.authorization, `plaintext-timing-${i}`);
      await deliveryOf("secret.created", s.receiptId);
      const started = performance.now();
      assert.equal((await v2(t, `/secret/${s.secretKey}/reveal`, {})).status, 200);
      const got = await deliveryOf("secret.read", s.receiptId);
      delays.push(got.at - started);
    }
    delays.sort((a, b) => a - b);
    const ms = (v: number | undefined) => `${(v ?? 0).toFixed(1)} ms`;
    ctx.diagnostic(`read → webhook: median ${ms(delays[10])}, min ${ms(delays[0])}, max ${ms(delays[19])}`);
  });
});

describe("webhooks to loopback without the allow-list", () => {
  test("refused at delivery, the log says why, and the receiver gets nothing", async () => {
    const hook = receiver(await freePort());
    await hook.start();
    const t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
    const worker = createWebhookWorker(t.deps);
    try {
      const bob = await makeAccount(t.deps, "bob@example.com");
      const accountId = t.deps.vault.accountId(bob.email);
      await assert.rejects(addWebhook(t.deps, accountId, { url: hook.url, events: ["secret.created"] }), {
        code: "webhook_url_refused",
      });
      // https to this machine's name (a loopback or private address here): accepted when added,
      // judged on its addresses at each delivery.
      const url = hook.url.replace("http://localhost", `https://${hostname()}`);
      await addWebhook(t.deps, accountId, { url, events: ["secret.created"] });
      await conceal(t, bob.authorization, "plaintext-refused");
      assert.equal(await worker.drain(), 1);
      const [endpoint] = await listWebhooks(t.deps, accountId);
      assert.deepEqual(
        endpoint?.log.map((d) => [d.state, d.attempts, d.lastError]),
        [["failed", 1, "refused_address"]],
      );
      assert.equal(hook.got.length, 0);
    } finally {
      await worker.stop();
      await t.close();
      await hook.stop();
    }
  });
});
