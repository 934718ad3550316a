// The outbox part of the store contract (called from storeContract): the durable mail queue.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { MailRow, Store } from "../../src/store/types.js";

const HOUR = 3600_000;
const LEASE = 60_000;

function mail(now: number, overrides: Partial<MailRow> = {}): MailRow {
  return {
    id: randomBytes(16).toString("hex"),
    receiptId: randomBytes(32).toString("hex"),
    sealed: randomBytes(80),
    state: "queued",
    attempts: 0,
    dueAt: now,
    lastError: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + 2 * HOUR,
    ...overrides,
  };
}

export function outboxContract(current: () => Store): void {
  describe("outbox", () => {
    test("a claim leases the mail due soonest, counts the try, and hides it until the lease ends", async () => {
      const store = current();
      const now = Date.now();
      const later = mail(now, { dueAt: now - 10 });
      const sooner = mail(now, { dueAt: now - 20 });
      const future = mail(now, { dueAt: now + HOUR });
      for (const m of [later, sooner, future]) await store.outbox.enqueue(m);

      const first = await store.outbox.claim(now, LEASE);
      assert.deepEqual(first, { ...sooner, attempts: 1, dueAt: now + LEASE, updatedAt: now });
      assert.equal((await store.outbox.claim(now, 2 * LEASE))?.id, later.id);
      assert.equal(await store.outbox.claim(now, LEASE), null, "leased and future mail are not due");
      // The worker holding `sooner` died: after its lease the mail is due again, its try counted.
      const again = await store.outbox.claim(now + LEASE, LEASE);
      assert.equal(again?.id, sooner.id);
      assert.equal(again?.attempts, 2);
    });

    test("settling: queued comes back at its due time; sent and failed are final", async () => {
      const store = current();
      const now = Date.now();
      const m = mail(now);
      await store.outbox.enqueue(m);
      assert.equal((await store.outbox.claim(now, LEASE))?.id, m.id);
      assert.equal(
        await store.outbox.settle(
          m.id,
          { state: "queued", dueAt: now + 5000, lastError: "ECONNREFUSED" },
          now,
        ),
        true,
      );
      assert.deepEqual(await store.outbox.status(m.receiptId ?? "", now), {
        state: "queued",
        attempts: 1,
        lastError: "ECONNREFUSED",
        updatedAt: now,
      });
      assert.equal(await store.outbox.claim(now + 4999, LEASE), null);
      const retry = await store.outbox.claim(now + 5000, LEASE);
      assert.equal(retry?.attempts, 2);
      assert.ok(retry?.sealed.equals(m.sealed), "the message is kept while queued");
      assert.equal(await store.outbox.settle(m.id, { state: "sent", lastError: null }, now + 5001), true);
      assert.deepEqual(await store.outbox.status(m.receiptId ?? "", now + 5001), {
        state: "sent",
        attempts: 2,
        lastError: null,
        updatedAt: now + 5001,
      });
      assert.equal(
        await store.outbox.claim(now + 10 * HOUR - 2 * HOUR, LEASE),
        null,
        "sent is never claimed again",
      );

      const doomed = mail(now);
      await store.outbox.enqueue(doomed);
      await store.outbox.claim(now, LEASE);
      await store.outbox.settle(doomed.id, { state: "failed", lastError: "smtp_550" }, now);
      assert.equal((await store.outbox.status(doomed.receiptId ?? "", now))?.state, "failed");
      assert.equal(await store.outbox.claim(now + LEASE, LEASE), null);
      assert.equal(await store.outbox.settle("0".repeat(32), { state: "sent" }, now), false);
    });

    test("many workers claiming at once: each mail goes to exactly one", async () => {
      const store = current();
      const now = Date.now();
      const mails = Array.from({ length: 5 }, () => mail(now));
      for (const m of mails) await store.outbox.enqueue(m);
      const claims = await Promise.all(Array.from({ length: 32 }, () => store.outbox.claim(now, LEASE)));
      const ids = claims.filter((c) => c !== null).map((c) => c?.id);
      assert.equal(ids.length, 5);
      assert.deepEqual(new Set(ids), new Set(mails.map((m) => m.id)));
    });

    test("expired mail is neither claimed nor reported, and a purge removes it", async () => {
      const store = current();
      const now = Date.now();
      const m = mail(now, { expiresAt: now + HOUR });
      await store.outbox.enqueue(m);
      assert.equal(await store.outbox.claim(now + HOUR, LEASE), null);
      assert.equal(await store.outbox.status(m.receiptId ?? "", now + HOUR), null);
      assert.equal(await store.outbox.status("f".repeat(64), now), null);
      if (!store.expiresNatively) assert.ok((await store.purgeExpired(now + HOUR)) >= 1);
    });
  });
}
