// The read-notification part of the store contract (called from storeContract): a receipt that
// asked for its expiry notice is handed out once, to one of any number of racing sweeps, when its
// secret's TTL has passed unread; a read to the last view or a burn drops it; a take says whether
// the creator asked to hear of reads; rows made without notices ask for none.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Store } from "../../src/store/types.js";
import { HOUR, put, RACERS } from "./store-contract-fixtures.js";

export function noticesContract(current: () => Store): void {
  describe("read notifications", () => {
    test("the events asked for are kept; a take says when reads are to be told", async () => {
      const store = current();
      const now = Date.now();
      const told = await put(store, now, { notify: ["read", "expired"], views: 2 });
      const silent = await put(store, now);
      assert.deepEqual((await store.secrets.getReceipt(told.receipt.id, now))?.notify, ["read", "expired"]);
      assert.deepEqual((await store.secrets.getReceipt(silent.receipt.id, now))?.notify, []);
      assert.equal((await store.secrets.take(told.secret.id, now))?.notifyRead, true);
      assert.equal((await store.secrets.take(silent.secret.id, now))?.notifyRead, false);
    });

    test("an expiry notice is due only after the TTL, and goes to one of many racing sweeps, once", async () => {
      const store = current();
      const now = Date.now();
      const { receipt } = await put(store, now, { notify: ["expired"], secretTtlMs: HOUR });
      await put(store, now, { notify: ["read"], secretTtlMs: HOUR });
      assert.deepEqual(await store.secrets.claimExpiryNotices(now + HOUR - 1, 10), []);
      const claims = await Promise.all(
        Array.from({ length: RACERS }, () => store.secrets.claimExpiryNotices(now + HOUR, 10)),
      );
      const won = claims.flat();
      assert.equal(won.length, 1, "exactly one sweep wins the notice");
      assert.equal(won[0]?.id, receipt.id);
      assert.equal(won[0]?.state, "expired", "the live receipt is expired by the claim");
      assert.equal((await store.secrets.getReceipt(receipt.id, now + HOUR))?.state, "expired");
      assert.deepEqual(await store.secrets.claimExpiryNotices(now + 2 * HOUR - 1, 10), [], "never twice");
    });

    test("a receipt already expired by a look still gets its notice; a partly read one too", async () => {
      const store = current();
      const now = Date.now();
      const looked = await put(store, now, { notify: ["expired"], secretTtlMs: HOUR });
      const partly = await put(store, now, { notify: ["expired"], secretTtlMs: HOUR, views: 3 });
      await store.secrets.take(partly.secret.id, now + 1);
      await store.secrets.transitionReceipt(looked.receipt.id, ["new", "viewed"], "expired", now + HOUR);
      const won = await store.secrets.claimExpiryNotices(now + HOUR, 10);
      assert.deepEqual(won.map((r) => r.id).sort(), [looked.receipt.id, partly.receipt.id].sort());
      assert.deepEqual(won.find((r) => r.id === partly.receipt.id)?.readTimes, [now + 1]);
    });

    test("a secret read to its last view or burned has no expiry notice", async () => {
      const store = current();
      const now = Date.now();
      const read = await put(store, now, { notify: ["expired"], secretTtlMs: HOUR });
      const burned = await put(store, now, { notify: ["expired"], secretTtlMs: HOUR });
      await store.secrets.take(read.secret.id, now + 1);
      await store.secrets.burn(burned.receipt.id, now + 1);
      assert.deepEqual(await store.secrets.claimExpiryNotices(now + HOUR, 10), []);
    });
  });
}
