// The view-limit part of the store contract (called from storeContract): a secret read a set number
// of times. Each take spends one view atomically and records its time on the receipt; the last one
// deletes the secret and makes the receipt received; racing readers get exactly the views there are.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Store } from "../../src/store/types.js";
import { hex, put, RACERS } from "./store-contract-fixtures.js";

export function viewsContract(current: () => Store): void {
  describe("view limits", () => {
    test("read times come back in clock order, whatever order the takes ran in", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { views: 3 });
      // Three processes' clocks: the take that runs second began a little earlier than the first.
      for (const at of [now + 20, now + 10, now + 30]) await store.secrets.take(secret.id, at);
      const read = await store.secrets.getReceipt(receipt.id, now + 40);
      assert.deepEqual(read?.readTimes, [now + 10, now + 20, now + 30]);
      assert.equal(read?.receivedAt, now + 30);
    });

    test("a 3-view secret: each take spends one view and adds its time; the last deletes it", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { views: 3 });
      assert.equal((await store.secrets.peek(secret.id, now))?.viewsLeft, 3);

      assert.deepEqual(await store.secrets.take(secret.id, now + 1), { ...secret, viewsLeft: 2 });
      assert.equal((await store.secrets.peek(secret.id, now + 1))?.viewsLeft, 2);
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now + 1), {
        ...receipt,
        readTimes: [now + 1],
        updatedAt: now + 1,
      });

      assert.deepEqual(await store.secrets.take(secret.id, now + 2), { ...secret, viewsLeft: 1 });
      const second = await store.secrets.getReceipt(receipt.id, now + 2);
      assert.equal(second?.state, "new", "the receipt stays live until the last view");
      assert.deepEqual(second?.readTimes, [now + 1, now + 2]);
      assert.equal(second?.receivedAt, null);

      assert.deepEqual(await store.secrets.take(secret.id, now + 3), { ...secret, viewsLeft: 0 });
      assert.equal(await store.secrets.peek(secret.id, now + 3), null);
      assert.equal(await store.secrets.take(secret.id, now + 4), null);
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now + 4), {
        ...receipt,
        state: "received",
        receivedAt: now + 3,
        updatedAt: now + 3,
        readTimes: [now + 1, now + 2, now + 3],
      });
    });

    test("a take before the last leaves a viewed receipt viewed", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { views: 2, state: "viewed" });
      await store.secrets.take(secret.id, now + 1);
      const after = await store.secrets.getReceipt(receipt.id, now + 1);
      assert.equal(after?.state, "viewed");
      assert.deepEqual(after?.readTimes, [now + 1]);
    });

    test(`${RACERS} concurrent takes of a 3-view secret: exactly 3 get the row`, async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { views: 3 });
      const results = await Promise.all(
        Array.from({ length: RACERS }, (_, i) => store.secrets.take(secret.id, now + 1 + i)),
      );
      const winners = results.filter((r) => r !== null);
      assert.equal(winners.length, 3);
      assert.deepEqual(winners.map((w) => w.viewsLeft).sort(), [0, 1, 2]);
      for (const w of winners) assert.deepEqual(w.ciphertext, secret.ciphertext);
      assert.equal(await store.secrets.peek(secret.id, now + RACERS + 1), null);
      const after = await store.secrets.getReceipt(receipt.id, now + RACERS + 1);
      assert.equal(after?.state, "received");
      assert.equal(after?.readTimes.length, 3);
      assert.ok(after?.readTimes.includes(after.receivedAt ?? -1), "the last view's time is among them");
      assert.deepEqual(
        after?.readTimes,
        [...(after?.readTimes ?? [])].sort((a, b) => a - b),
        "in clock order",
      );
    });

    test("burn mid-way deletes the views left and keeps the read times", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { views: 3 });
      await store.secrets.take(secret.id, now + 1);
      const burned = await store.secrets.burn(receipt.id, now + 2);
      assert.deepEqual(burned, {
        ...receipt,
        state: "burned",
        burnedAt: now + 2,
        updatedAt: now + 2,
        readTimes: [now + 1],
      });
      assert.equal(await store.secrets.peek(secret.id, now + 3), null);
      assert.equal(await store.secrets.take(secret.id, now + 3), null);
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now + 3), burned);
    });

    test("takes racing a burn on a 3-view secret: the burn wins unless every view was read first", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { views: 3 });
      const takes = Array.from({ length: 8 }, () => store.secrets.take(secret.id, now + 1));
      const burn = store.secrets.burn(receipt.id, now + 1);
      const [burned, ...taken] = await Promise.all([burn, ...takes]);
      const winners = taken.filter((t) => t !== null).length;
      const after = await store.secrets.getReceipt(receipt.id, now + 2);
      assert.equal(after?.readTimes.length, winners);
      if (burned === null) {
        assert.equal(winners, 3);
        assert.equal(after?.state, "received");
      } else {
        assert.ok(winners < 3);
        assert.equal(after?.state, "burned");
      }
      assert.equal(await store.secrets.peek(secret.id, now + 2), null);
    });

    test("an expired multi-view secret reads as absent and its take records nothing", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { views: 3 });
      await store.secrets.take(secret.id, now + 1);
      assert.equal(await store.secrets.take(secret.id, secret.expiresAt), null);
      assert.deepEqual((await store.secrets.getReceipt(receipt.id, now + 2))?.readTimes, [now + 1]);
    });

    test("hasFile and the view limit survive the round trip, in lists too", async () => {
      const store = current();
      const now = Date.now();
      const owner = hex();
      const { secret, receipt } = await put(store, now, { views: 5, hasFile: true, owner });
      const { ciphertext: _c, ...header } = secret;
      assert.deepEqual(await store.secrets.peek(secret.id, now), header);
      assert.equal(header.hasFile, true);
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now), receipt);
      await store.secrets.take(secret.id, now + 1);
      const [listed] = await store.secrets.listReceipts(owner, 0, now + 1);
      assert.deepEqual(listed?.receipt, { ...receipt, readTimes: [now + 1], updatedAt: now + 1 });
      assert.equal(listed?.receipt.views, 5);
      assert.equal(listed?.receipt.hasFile, true);
    });
  });
}
