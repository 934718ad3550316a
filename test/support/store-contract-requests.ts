// The secret requests part of the store contract (called from storeContract): a request row, its
// owner's list, the atomic take of an answer slot (exactly the slots left go to racing answerers),
// closing early, and expiry (the link's, and the row's, which answers extend).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { RequestAnswer, RequestRow, Store } from "../../src/store/types.js";
import { HOUR, hex, newAccount, RACERS } from "./store-contract-fixtures.js";

function request(now: number, o: Partial<RequestRow> = {}): RequestRow {
  return {
    id: hex(),
    accountId: hex(),
    sealedNote: randomBytes(40),
    publicKey: randomBytes(65),
    answerKey: randomBytes(32),
    answersMax: 1,
    answersUsed: 0,
    createdAt: now,
    expiresAt: now + HOUR,
    closedAt: null,
    keepUntil: now + HOUR,
    ...o,
  };
}

function answer(now: number, o: Partial<RequestAnswer> = {}): RequestAnswer {
  return {
    receiptId: hex(),
    sealedMetadataKey: randomBytes(91),
    senderKey: randomBytes(65),
    createdAt: now,
    expiresAt: now + 2 * HOUR,
    ...o,
  };
}

export function requestsContract(current: () => Store): void {
  describe("requests", () => {
    test("a request reads back as written, and is listed for its owner with its sealed key", async () => {
      const store = current();
      const now = Date.now();
      const r = request(now, { answersMax: 3 });
      const sealed = randomBytes(60);
      await store.requests.create(r, sealed);
      assert.deepEqual(await store.requests.get(r.id, now), r);
      assert.equal(await store.requests.get(hex(), now), null);
      assert.deepEqual(await store.requests.list(r.accountId, now - HOUR, now), [
        { request: r, sealedManageKey: sealed },
      ]);
      assert.deepEqual(await store.requests.list(r.accountId, now + 1, now), []);
      assert.deepEqual(await store.requests.list(hex(), 0, now), []);
      assert.deepEqual(await store.requests.answers(r.id, now), []);
    });

    test("an account's list is newest first", async () => {
      const store = current();
      const now = Date.now();
      const accountId = hex();
      const older = request(now - 10, { accountId });
      const newer = request(now, { accountId });
      await store.requests.create(older, randomBytes(8));
      await store.requests.create(newer, randomBytes(8));
      const listed = await store.requests.list(accountId, 0, now);
      assert.deepEqual(
        listed.map((o) => o.request.id),
        [newer.id, older.id],
      );
    });

    test("each answer takes a slot and is listed in order; the row lives as long as its last answer", async () => {
      const store = current();
      const now = Date.now();
      const r = request(now, { answersMax: 2 });
      await store.requests.create(r, randomBytes(8));
      const first = answer(now + 1);
      const second = answer(now + 2, { expiresAt: now + 5 * HOUR });
      const after1 = await store.requests.answer(r.id, first, now + 1);
      assert.deepEqual(after1, { ...r, answersUsed: 1, keepUntil: first.expiresAt });
      const after2 = await store.requests.answer(r.id, second, now + 2);
      assert.deepEqual(after2, { ...r, answersUsed: 2, keepUntil: second.expiresAt });
      // Used up: a third answer gets nothing, and lists nothing.
      assert.equal(await store.requests.answer(r.id, answer(now + 3), now + 3), null);
      assert.deepEqual(await store.requests.answers(r.id, now + 3), [first, second]);
      // The link has expired, the row is kept for its answers; each answer goes with its receipt.
      const later = now + 3 * HOUR;
      assert.deepEqual((await store.requests.get(r.id, later))?.answersUsed, 2);
      assert.deepEqual(await store.requests.answers(r.id, later), [second]);
      assert.equal(await store.requests.get(r.id, second.expiresAt), null);
      assert.deepEqual(await store.requests.answers(r.id, second.expiresAt), []);
      assert.deepEqual(await store.requests.list(r.accountId, 0, second.expiresAt), []);
    });

    test(`${RACERS} racing answers to a 3-answer request: exactly 3 take a slot, 3 are listed`, async () => {
      const store = current();
      const now = Date.now();
      const r = request(now, { answersMax: 3 });
      await store.requests.create(r, randomBytes(8));
      const tries = Array.from({ length: RACERS }, (_, i) => answer(now + 1 + i));
      const results = await Promise.all(tries.map((a, i) => store.requests.answer(r.id, a, now + 1 + i)));
      const winners = results.filter((x) => x !== null);
      assert.equal(winners.length, 3);
      assert.deepEqual(winners.map((w) => w.answersUsed).sort(), [1, 2, 3]);
      const listed = await store.requests.answers(r.id, now + RACERS + 1);
      assert.equal(listed.length, 3);
      const won = new Set(tries.filter((_, i) => results[i] !== null).map((a) => a.receiptId));
      for (const a of listed) assert.ok(won.has(a.receiptId));
      assert.equal((await store.requests.get(r.id, now + RACERS + 1))?.answersUsed, 3);
    });

    test("an expired link takes no answer; a closed request neither, and closes once", async () => {
      const store = current();
      const now = Date.now();
      const expired = request(now, { expiresAt: now + 10, keepUntil: now + HOUR });
      await store.requests.create(expired, randomBytes(8));
      assert.equal(await store.requests.answer(expired.id, answer(now + 10), now + 10), null);
      assert.equal(await store.requests.close(expired.id, now + 10), null);
      assert.deepEqual(await store.requests.get(expired.id, now + 10), expired);

      const open = request(now, { answersMax: 5 });
      await store.requests.create(open, randomBytes(8));
      assert.deepEqual(await store.requests.close(open.id, now + 5), { ...open, closedAt: now + 5 });
      assert.equal(await store.requests.close(open.id, now + 6), null);
      assert.equal(await store.requests.answer(open.id, answer(now + 7), now + 7), null);
      assert.deepEqual(await store.requests.get(open.id, now + 7), { ...open, closedAt: now + 5 });
      assert.equal(await store.requests.close(hex(), now), null);
      assert.equal(await store.requests.answer(hex(), answer(now), now), null);
    });

    test("purgeExpired removes a request once its row expires; deleting its account empties the list", async () => {
      const store = current();
      const now = Date.now();
      const gone = request(now);
      await store.requests.create(gone, randomBytes(8));
      assert.ok((await store.purgeExpired(now + 2 * HOUR)) >= 1);
      assert.equal(await store.requests.get(gone.id, now), null);

      const account = await newAccount(store, now);
      const mine = request(now, { accountId: account.id });
      await store.requests.create(mine, randomBytes(8));
      assert.equal((await store.requests.list(account.id, 0, now)).length, 1);
      assert.equal(await store.accounts.delete(account.id), true);
      assert.deepEqual(await store.requests.list(account.id, 0, now), []);
    });
  });
}
