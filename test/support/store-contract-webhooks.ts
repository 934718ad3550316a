// The webhooks part of the store contract (called from storeContract): an account's endpoints, and
// the durable queue of their deliveries with its log (claim, lease, settle, as the mail outbox).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { Store, WebhookDelivery, WebhookEndpoint } from "../../src/store/types.js";
import { HOUR, hex, RACERS } from "./store-contract-fixtures.js";

const LEASE = 60_000;

function endpoint(accountId: string, now: number, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: hex().slice(0, 24),
    accountId,
    url: "https://hooks.example.com/onetime",
    sealedSecret: randomBytes(60),
    events: ["secret.read", "secret.burned"],
    createdAt: now,
    ...overrides,
  };
}

function delivery(
  e: WebhookEndpoint,
  now: number,
  overrides: Partial<WebhookDelivery> = {},
): WebhookDelivery {
  return {
    id: hex().slice(0, 32),
    eventId: `evt_${hex().slice(0, 24)}`,
    endpointId: e.id,
    accountId: e.accountId,
    type: "secret.read",
    body: JSON.stringify({ type: "secret.read", data: { receipt: "abc" } }),
    state: "queued",
    attempts: 0,
    dueAt: now,
    lastStatus: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 2 * HOUR,
    ...overrides,
  };
}

export function webhooksContract(current: () => Store): void {
  describe("webhooks", () => {
    test("endpoints are kept per account, oldest first, and removed only by their account", async () => {
      const store = current();
      const now = Date.now();
      const a = hex();
      const b = hex();
      const first = endpoint(a, now - 10);
      const second = endpoint(a, now, { events: ["secret.created", "request.answered"] });
      const other = endpoint(b, now);
      for (const e of [second, first, other]) await store.webhooks.addEndpoint(e);
      assert.deepEqual(await store.webhooks.listEndpoints(a), [first, second]);
      assert.deepEqual(await store.webhooks.getEndpoint(other.id), other);
      assert.equal(await store.webhooks.removeEndpoint(b, first.id), false, "not b's endpoint");
      assert.equal(await store.webhooks.removeEndpoint(a, first.id), true);
      assert.equal(await store.webhooks.removeEndpoint(a, first.id), false, "already gone");
      assert.deepEqual(await store.webhooks.listEndpoints(a), [second]);
      assert.equal(await store.webhooks.getEndpoint(first.id), null);
      await store.webhooks.removeAccount(a);
      assert.deepEqual(await store.webhooks.listEndpoints(a), []);
      assert.deepEqual(await store.webhooks.listEndpoints(b), [other]);
    });

    test("a claim leases the delivery due soonest, counts the try, and hides it until the lease ends", async () => {
      const store = current();
      const now = Date.now();
      const e = endpoint(hex(), now);
      await store.webhooks.addEndpoint(e);
      const later = delivery(e, now, { dueAt: now - 10 });
      const sooner = delivery(e, now, { dueAt: now - 20 });
      const future = delivery(e, now, { dueAt: now + HOUR });
      await store.webhooks.enqueue([later, sooner, future]);

      const first = await store.webhooks.claim(now, LEASE);
      assert.deepEqual(first, { ...sooner, attempts: 1, dueAt: now + LEASE, updatedAt: now });
      assert.equal((await store.webhooks.claim(now, 2 * LEASE))?.id, later.id);
      assert.equal(await store.webhooks.claim(now, LEASE), null, "leased and future deliveries are not due");
      const again = await store.webhooks.claim(now + LEASE, LEASE);
      assert.deepEqual([again?.id, again?.attempts], [sooner.id, 2], "a dead worker's lease ends");
    });

    test("a due delivery goes to exactly one of many racing claims", async () => {
      const store = current();
      const now = Date.now();
      const e = endpoint(hex(), now);
      await store.webhooks.addEndpoint(e);
      await store.webhooks.enqueue([delivery(e, now)]);
      const claims = await Promise.all(
        Array.from({ length: RACERS }, () => store.webhooks.claim(now, LEASE)),
      );
      assert.equal(claims.filter((c) => c !== null).length, 1);
    });

    test("settle: queued comes back at its due time; delivered and failed leave the queue; the log tells", async () => {
      const store = current();
      const now = Date.now();
      const e = endpoint(hex(), now);
      await store.webhooks.addEndpoint(e);
      const retried = delivery(e, now - 2);
      const sent = delivery(e, now - 1);
      const refused = delivery(e, now);
      await store.webhooks.enqueue([retried, sent, refused]);
      for (let i = 0; i < 3; i++) await store.webhooks.claim(now, LEASE);

      const retry = { state: "queued" as const, dueAt: now + 1000, lastStatus: 503, lastError: "http_503" };
      assert.equal(await store.webhooks.settle(retried.id, retry, now + 1), true);
      await store.webhooks.settle(sent.id, { state: "delivered", lastStatus: 204, lastError: null }, now + 2);
      await store.webhooks.settle(refused.id, { state: "failed", lastError: "refused_address" }, now + 3);
      assert.equal(await store.webhooks.claim(now + 999, LEASE), null);
      const next = await store.webhooks.claim(now + 1000, LEASE);
      assert.deepEqual([next?.id, next?.attempts, next?.lastStatus], [retried.id, 2, 503]);
      assert.equal(await store.webhooks.claim(now + 999 + LEASE, LEASE), null, "final ones never come back");

      const log = await store.webhooks.log(e.id, 10, now + 4);
      assert.deepEqual(
        log.map((d) => [d.id, d.state, d.attempts, d.lastStatus, d.lastError]),
        [
          [refused.id, "failed", 1, null, "refused_address"],
          [sent.id, "delivered", 1, 204, null],
          [retried.id, "queued", 2, 503, "http_503"],
        ],
      );
      assert.equal(log[1]?.body, sent.body);
      assert.equal(log[1]?.eventId, sent.eventId);
      assert.deepEqual((await store.webhooks.log(e.id, 2, now + 4)).length, 2, "at most `limit`");
      assert.deepEqual(await store.webhooks.log(e.id, 10, now + 2 * HOUR), [], "expired rows read as absent");
      assert.equal(await store.webhooks.settle("nope", { state: "delivered" }, now), false);
    });

    test("an expired delivery is never claimed", async () => {
      const store = current();
      const now = Date.now();
      const e = endpoint(hex(), now);
      await store.webhooks.addEndpoint(e);
      await store.webhooks.enqueue([delivery(e, now, { expiresAt: now + HOUR })]);
      assert.equal(await store.webhooks.claim(now + HOUR, LEASE), null);
    });

    test("removing an endpoint drops its log and its queued deliveries", async () => {
      const store = current();
      const now = Date.now();
      const a = hex();
      const gone = endpoint(a, now);
      const kept = endpoint(a, now + 1);
      await store.webhooks.addEndpoint(gone);
      await store.webhooks.addEndpoint(kept);
      const keptDelivery = delivery(kept, now, { dueAt: now - 1 });
      await store.webhooks.enqueue([delivery(gone, now, { dueAt: now - 2 }), keptDelivery]);
      await store.webhooks.removeEndpoint(a, gone.id);
      assert.deepEqual(await store.webhooks.log(gone.id, 10, now), []);
      assert.equal((await store.webhooks.claim(now, LEASE))?.id, keptDelivery.id);
      assert.equal(await store.webhooks.claim(now, LEASE), null);
    });
  });
}
