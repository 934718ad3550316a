// The storage port's contract, written once and run against every adapter (unstorage's
// test/drivers/utils.ts is the model): an adapter's own test file only says how to open and clean up
// a store. Each test gets a fresh, empty store. The parts follow the ports: secrets (and their view
// limits), accounts, counters, outbox, audit, admin, webhooks; the store's own lifecycle (sweep, ping, close) is here.
//
// Times are real (`Date.now()`) with expiries hours ahead, so an adapter that also sets native
// expiries (Redis PEXPIREAT) keeps every row; "expired" is shown by passing a `now` past expiresAt,
// which must read as absent at once, before any purge.
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { Store } from "../../src/store/types.js";
import { accountsContract } from "./store-contract-accounts.js";
import { adminContract } from "./store-contract-admin.js";
import { auditContract } from "./store-contract-audit.js";
import { countersContract } from "./store-contract-counters.js";
import { HOUR, hex, put } from "./store-contract-fixtures.js";
import { noticesContract } from "./store-contract-notices.js";
import { outboxContract } from "./store-contract-outbox.js";
import { requestsContract } from "./store-contract-requests.js";
import { secretsContract } from "./store-contract-secrets.js";
import { viewsContract } from "./store-contract-views.js";
import { webhooksContract } from "./store-contract-webhooks.js";

/** What every store operation throws when the backend cannot answer. */
const UNAVAILABLE = { name: "AppError", code: "store_unavailable" };

export interface OpenedStore {
  store: Store;
  /** Releases everything the store used; must also work after `store.close()`. */
  cleanup(): Promise<void>;
}

export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store contract: ${name}`, () => {
    let opened: OpenedStore;
    beforeEach(async () => {
      opened = await open();
    });
    afterEach(() => opened.cleanup());
    const current = () => opened.store;
    secretsContract(current);
    viewsContract(current);
    noticesContract(current);
    accountsContract(current);
    countersContract(current);
    outboxContract(current);
    auditContract(current);
    adminContract(current);
    requestsContract(current);
    webhooksContract(current);

    describe("maintenance", () => {
      test("purgeExpired removes exactly the expired rows and returns how many", async () => {
        const store = current();
        const now = Date.now();
        const live = await put(store, now, { secretTtlMs: 3 * HOUR, receiptTtlMs: 6 * HOUR });
        const secretGone = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 3 * HOUR });
        const bothGone = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 2 * HOUR });
        const oldCounter = `rl:old:${hex()}`;
        const newCounter = `rl:new:${hex()}`;
        await store.counters.hit(oldCounter, HOUR, now);
        await store.counters.hit(newCounter, 3 * HOUR, now);

        const at = now + 2 * HOUR;
        // Expired: secretGone's secret, bothGone's secret and receipt, the old counter.
        assert.equal(await store.purgeExpired(at), 4);
        assert.equal(await store.purgeExpired(at), 0);

        // Read with the original clock: what was purged is really gone, the rest is intact.
        assert.equal(await store.secrets.peek(secretGone.secret.id, now), null);
        assert.equal(await store.secrets.peek(bothGone.secret.id, now), null);
        assert.equal(await store.secrets.getReceipt(bothGone.receipt.id, now), null);
        assert.equal(await store.counters.peek(oldCounter, now), 0);
        assert.deepEqual(await store.secrets.getReceipt(secretGone.receipt.id, now), secretGone.receipt);
        assert.deepEqual(await store.secrets.getReceipt(live.receipt.id, now), live.receipt);
        assert.deepEqual(await store.secrets.take(live.secret.id, now), { ...live.secret, viewsLeft: 0 });
        assert.equal(await store.counters.peek(newCounter, now), 1);
      });

      test("purgeExpired drops expired receipts from their owner's list", async () => {
        const store = current();
        const now = Date.now();
        const owner = hex();
        const old = await put(store, now, { owner, secretTtlMs: HOUR, receiptTtlMs: HOUR });
        const kept = await put(store, now, { owner });
        assert.ok((await store.purgeExpired(now + HOUR)) >= 2);
        assert.deepEqual(
          (await store.secrets.listReceipts(owner, 0, now)).map((o) => o.receipt.id),
          [kept.receipt.id],
        );
        assert.equal(await store.secrets.getReceipt(old.receipt.id, now), null);
      });

      test("purgeExpired removes expired sessions and tickets too", async () => {
        const store = current();
        const now = Date.now();
        const accountId = hex();
        const old = { id: hex(), accountId, sealedListKey: null, createdAt: now, expiresAt: now + HOUR };
        const kept = { ...old, id: hex(), expiresAt: now + 3 * HOUR };
        for (const s of [old, kept]) await store.accounts.createSession(s);
        const ticket = { id: hex(), purpose: "verify" as const, accountId, expiresAt: now + HOUR };
        await store.accounts.createTicket(ticket);
        assert.equal(await store.purgeExpired(now + 2 * HOUR), 2);
        assert.equal(await store.accounts.getSession(old.id, now), null);
        assert.deepEqual(await store.accounts.getSession(kept.id, now), kept);
        assert.equal(await store.accounts.takeTicket(ticket.id, now), null);
      });

      test("ping answers; after close every operation fails as unavailable", async () => {
        const store = current();
        assert.equal(typeof store.name, "string");
        assert.ok(store.name.length > 0);
        await store.ping();
        const now = Date.now();
        const { secret } = await put(store, now);
        await store.close();
        await store.close(); // closing twice is harmless
        await assert.rejects(store.ping(), UNAVAILABLE);
        await assert.rejects(store.secrets.take(secret.id, now), UNAVAILABLE);
        await assert.rejects(store.accounts.get(hex()), UNAVAILABLE);
        await assert.rejects(store.counters.hit("k", 1000, now), UNAVAILABLE);
        await assert.rejects(store.counters.add("k", 2, 1000, now), UNAVAILABLE);
        await assert.rejects(store.outbox.claim(now, 1000), UNAVAILABLE);
        await assert.rejects(store.audit.list({ now, limit: 1, order: "newest" }), UNAVAILABLE);
      });
    });
  });
}
