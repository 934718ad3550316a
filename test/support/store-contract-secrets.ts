// The secrets part of the store contract (called from storeContract): secrets, their receipts, and
// the owners' lists.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { Store } from "../../src/store/types.js";
import { HOUR, hex, put, RACERS } from "./store-contract-fixtures.js";

export function secretsContract(current: () => Store): void {
  describe("secrets", () => {
    test("create stores the secret and its receipt together; peek returns the header only", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now);
      const header = await store.secrets.peek(secret.id, now);
      assert.ok(header !== null);
      assert.equal("ciphertext" in header, false);
      const { ciphertext, ...expected } = secret;
      assert.deepEqual(header, expected);
      for (const value of Object.values(header)) {
        if (Buffer.isBuffer(value)) assert.equal(value.equals(ciphertext), false);
      }
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now), receipt);
    });

    test("every field survives the round trip (passphrase salt, domain, owner, recipients)", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, {
        passphrase: true,
        owner: "owner@example.com",
        recipients: ["fo*****@e*****.com", "ba*****@e*****.org"],
        shareDomain: "secrets.example.net",
        kind: "generate",
        state: "viewed",
      });
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now), receipt);
      assert.deepEqual(await store.secrets.take(secret.id, now + 1), { ...secret, viewsLeft: 0 });
    });

    for (const passphrase of [false, true]) {
      test(`a client secret keeps its mode and KDF parameters (passphrase: ${passphrase})`, async () => {
        const store = current();
        const now = Date.now();
        const { secret, receipt } = await put(store, now, {
          client: true,
          passphrase,
          owner: "zk@example.com",
        });
        const { ciphertext: _c, ...header } = secret;
        assert.deepEqual(await store.secrets.peek(secret.id, now), header);
        assert.equal(secret.passphraseSalt, null);
        assert.equal(secret.client?.kdf === null, !passphrase);
        const read = await store.secrets.getReceipt(receipt.id, now);
        assert.equal(read?.encryption, "client");
        assert.deepEqual(read, receipt);
        assert.deepEqual((await store.secrets.listReceipts("zk@example.com", 0, now))[0]?.receipt, receipt);
        assert.deepEqual(await store.secrets.take(secret.id, now + 1), { ...secret, viewsLeft: 0 });
      });
    }

    test("a server secret reads back as one", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { passphrase: true });
      assert.equal((await store.secrets.peek(secret.id, now))?.client, null);
      assert.equal((await store.secrets.getReceipt(receipt.id, now))?.encryption, "server");
    });

    test("peek consumes nothing and unknown ids read as absent", async () => {
      const store = current();
      const now = Date.now();
      const { secret } = await put(store, now);
      await store.secrets.peek(secret.id, now);
      await store.secrets.peek(secret.id, now);
      assert.ok((await store.secrets.take(secret.id, now)) !== null);
      assert.equal(await store.secrets.peek(hex(), now), null);
      assert.equal(await store.secrets.take(hex(), now), null);
      assert.equal(await store.secrets.getReceipt(hex(), now), null);
    });

    test("take returns the whole row once and marks the receipt received", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now);
      const later = now + 5000;
      assert.deepEqual(await store.secrets.take(secret.id, later), { ...secret, viewsLeft: 0 });
      assert.equal(await store.secrets.take(secret.id, later), null);
      assert.equal(await store.secrets.peek(secret.id, later), null);
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, later), {
        ...receipt,
        state: "received",
        receivedAt: later,
        updatedAt: later,
        readTimes: [later],
      });
    });

    test("take of a secret whose receipt was viewed marks it received too", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { state: "viewed" });
      assert.ok((await store.secrets.take(secret.id, now + 1)) !== null);
      assert.equal((await store.secrets.getReceipt(receipt.id, now + 1))?.state, "received");
    });

    test("an expired secret reads as absent at once and its take changes nothing", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 2 * HOUR });
      assert.ok((await store.secrets.peek(secret.id, secret.expiresAt - 1)) !== null);
      assert.equal(await store.secrets.peek(secret.id, secret.expiresAt), null);
      assert.equal(await store.secrets.take(secret.id, secret.expiresAt), null);
      assert.equal(await store.secrets.take(secret.id, secret.expiresAt + HOUR / 2), null);
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, secret.expiresAt), receipt);
    });

    test(`${RACERS} concurrent takes of one secret: exactly one gets the row`, async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now);
      const results = await Promise.all(
        Array.from({ length: RACERS }, () => store.secrets.take(secret.id, now + 1)),
      );
      const winners = results.filter((r) => r !== null);
      assert.equal(winners.length, 1);
      assert.deepEqual(winners[0], { ...secret, viewsLeft: 0 });
      assert.equal((await store.secrets.getReceipt(receipt.id, now + 1))?.state, "received");
    });
  });

  describe("receipts", () => {
    test("an expired receipt reads as absent and cannot change", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: HOUR });
      const at = receipt.expiresAt;
      assert.ok((await store.secrets.getReceipt(receipt.id, at - 1)) !== null);
      assert.equal(await store.secrets.getReceipt(receipt.id, at), null);
      assert.equal(await store.secrets.transitionReceipt(receipt.id, ["new"], "viewed", at), null);
      assert.equal(await store.secrets.burn(receipt.id, at), null);
      assert.equal(await store.secrets.take(secret.id, at), null);
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now), receipt);
    });

    test("transition moves a receipt only from the listed states", async () => {
      const store = current();
      const now = Date.now();
      const { receipt } = await put(store, now);
      const viewed = await store.secrets.transitionReceipt(receipt.id, ["new", "viewed"], "viewed", now + 10);
      assert.deepEqual(viewed, { ...receipt, state: "viewed", updatedAt: now + 10 });
      const unchanged = await store.secrets.transitionReceipt(receipt.id, ["new"], "orphaned", now + 20);
      assert.deepEqual(unchanged, viewed);
      const orphaned = await store.secrets.transitionReceipt(receipt.id, ["viewed"], "orphaned", now + 30);
      assert.deepEqual(orphaned, { ...receipt, state: "orphaned", updatedAt: now + 30 });
      assert.equal(await store.secrets.transitionReceipt(hex(), ["new", "viewed"], "viewed", now), null);
    });

    test("terminal states never change again, whatever `from` lists", async () => {
      const store = current();
      const now = Date.now();
      const all = ["new", "viewed", "received", "burned", "expired", "orphaned"] as const;
      const received = await put(store, now);
      await store.secrets.take(received.secret.id, now + 1);
      const burned = await put(store, now);
      await store.secrets.burn(burned.receipt.id, now + 1);
      const expired = await put(store, now);
      await store.secrets.transitionReceipt(expired.receipt.id, ["new"], "expired", now + 1);
      const orphaned = await put(store, now);
      await store.secrets.transitionReceipt(orphaned.receipt.id, ["new"], "orphaned", now + 1);

      for (const [state, { receipt }] of Object.entries({ received, burned, expired, orphaned })) {
        const before = await store.secrets.getReceipt(receipt.id, now + 2);
        assert.equal(before?.state, state);
        for (const to of ["viewed", "expired", "orphaned"] as const) {
          const after = await store.secrets.transitionReceipt(receipt.id, all, to, now + 3);
          assert.deepEqual(after, before, `${state} must not become ${to}`);
        }
      }
    });

    test("burn deletes the secret and marks the receipt burned, once", async () => {
      const store = current();
      const now = Date.now();
      const { secret, receipt } = await put(store, now, { state: "viewed" });
      const burned = await store.secrets.burn(receipt.id, now + 7);
      assert.deepEqual(burned, { ...receipt, state: "burned", burnedAt: now + 7, updatedAt: now + 7 });
      assert.deepEqual(await store.secrets.getReceipt(receipt.id, now + 8), burned);
      assert.equal(await store.secrets.peek(secret.id, now + 8), null);
      assert.equal(await store.secrets.take(secret.id, now + 8), null);
      assert.equal(await store.secrets.burn(receipt.id, now + 9), null);
      assert.equal(await store.secrets.burn(hex(), now), null);
    });

    test("burn answers null once the secret is read, gone by TTL, or the receipt terminal", async () => {
      const store = current();
      const now = Date.now();
      const read = await put(store, now);
      await store.secrets.take(read.secret.id, now + 1);
      assert.equal(await store.secrets.burn(read.receipt.id, now + 2), null);
      assert.equal((await store.secrets.getReceipt(read.receipt.id, now + 2))?.state, "received");

      const lapsed = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 2 * HOUR });
      const at = lapsed.secret.expiresAt;
      assert.equal(await store.secrets.burn(lapsed.receipt.id, at), null);
      assert.deepEqual(await store.secrets.getReceipt(lapsed.receipt.id, at), lapsed.receipt);

      // A receipt marked orphaned keeps its secret out of reach of burn.
      const orphaned = await put(store, now);
      await store.secrets.transitionReceipt(orphaned.receipt.id, ["new"], "orphaned", now + 1);
      assert.equal(await store.secrets.burn(orphaned.receipt.id, now + 2), null);
      assert.equal((await store.secrets.getReceipt(orphaned.receipt.id, now + 2))?.state, "orphaned");
    });

    test("take racing burn: exactly one wins, and the receipt says which (50 secrets)", async () => {
      const store = current();
      const now = Date.now();
      const pairs = await Promise.all(Array.from({ length: 50 }, () => put(store, now)));
      const outcomes = await Promise.all(
        pairs.map(async ({ secret, receipt }, i) => {
          const take = () => store.secrets.take(secret.id, now + 1);
          const burn = () => store.secrets.burn(receipt.id, now + 1);
          // Alternate who starts first so neither always has the head start.
          const [a, b] = i % 2 === 0 ? [take(), burn()] : [burn(), take()];
          const [first, second] = await Promise.all([a, b]);
          const [taken, burned] = i % 2 === 0 ? [first, second] : [second, first];
          return { taken, burned, after: await store.secrets.getReceipt(receipt.id, now + 2) };
        }),
      );
      for (const { taken, burned, after } of outcomes) {
        assert.equal((taken !== null) !== (burned !== null), true, "exactly one of take and burn wins");
        assert.equal(after?.state, taken !== null ? "received" : "burned");
      }
    });

    test("listReceipts: the owner's own, created since `since`, newest first", async () => {
      const store = current();
      const now = Date.now();
      const alice = hex();
      const bob = hex();
      const a1 = await put(store, now, { owner: alice, createdAt: now - 3 * HOUR });
      const a2 = await put(store, now, { owner: alice, createdAt: now - 2 * HOUR });
      const a3 = await put(store, now, { owner: alice, createdAt: now - HOUR });
      const b1 = await put(store, now, { owner: bob, createdAt: now - HOUR });
      await put(store, now, { createdAt: now - HOUR }); // anonymous: nobody's list

      const all = await store.secrets.listReceipts(alice, 0, now);
      assert.deepEqual(
        all.map((o) => o.receipt),
        [a3, a2, a1].map((f) => f.receipt),
      );
      assert.deepEqual(
        all.map((o) => o.sealedMetadataKey),
        [a3, a2, a1].map((f) => f.owner?.sealedMetadataKey),
      );
      const since = await store.secrets.listReceipts(alice, now - 2 * HOUR, now);
      assert.deepEqual(
        since.map((o) => o.receipt.id),
        [a3.receipt.id, a2.receipt.id],
      );
      assert.deepEqual(
        (await store.secrets.listReceipts(bob, 0, now)).map((o) => o.receipt.id),
        [b1.receipt.id],
      );
      assert.deepEqual(await store.secrets.listReceipts(hex(), 0, now), []);
    });

    test("resealList replaces the owner's sealed metadata keys, and only for receipts on its list", async () => {
      const store = current();
      const now = Date.now();
      const alice = hex();
      const a1 = await put(store, now, { owner: alice, createdAt: now - 2 * HOUR });
      const a2 = await put(store, now, { owner: alice, createdAt: now - HOUR });
      const b1 = await put(store, now, { owner: hex(), createdAt: now - HOUR });
      const resealed = [a1, a2].map((f) => ({ receiptId: f.receipt.id, sealedMetadataKey: randomBytes(48) }));
      const strays = [b1.receipt.id, hex()].map((receiptId) => ({
        receiptId,
        sealedMetadataKey: randomBytes(48),
      }));
      await store.secrets.resealList(alice, [...resealed, ...strays]);
      await store.secrets.resealList(alice, []);
      assert.deepEqual(
        (await store.secrets.listReceipts(alice, 0, now)).map((o) => [o.receipt.id, o.sealedMetadataKey]),
        resealed.reverse().map((e) => [e.receiptId, e.sealedMetadataKey]),
      );
      assert.equal((await store.secrets.listReceipts(alice, 0, now)).length, 2, "no stray entry was added");
      const [bobs] = await store.secrets.listReceipts(b1.owner?.accountId ?? "", 0, now);
      assert.deepEqual(bobs?.sealedMetadataKey, b1.owner?.sealedMetadataKey, "another list is untouched");
    });

    test("listReceipts shows terminal receipts as they are and leaves expired ones out", async () => {
      const store = current();
      const now = Date.now();
      const owner = hex();
      const read = await put(store, now, { owner, createdAt: now - 2 * HOUR });
      const short = await put(store, now, {
        owner,
        createdAt: now - HOUR,
        secretTtlMs: 2 * HOUR,
        receiptTtlMs: 2 * HOUR,
      });
      await store.secrets.take(read.secret.id, now);
      const listed = await store.secrets.listReceipts(owner, 0, now + 1);
      assert.deepEqual(
        listed.map((o) => [o.receipt.id, o.receipt.state]),
        [
          [short.receipt.id, "new"],
          [read.receipt.id, "received"],
        ],
      );
      const later = await store.secrets.listReceipts(owner, 0, short.receipt.expiresAt);
      assert.deepEqual(
        later.map((o) => o.receipt.id),
        [read.receipt.id],
      );
    });
  });
}
