// The storage port's contract, written once and run against every adapter (unstorage's
// test/drivers/utils.ts is the model): an adapter's own test file only says how to open and clean up
// a store. Each test gets a fresh, empty store.
//
// Times are real (`Date.now()`) with expiries hours ahead, so an adapter that also sets native
// expiries (Redis PEXPIREAT) keeps every row; "expired" is shown by passing a `now` past expiresAt,
// which must read as absent at once, before any purge.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, test } from "node:test";
import { StoreUnavailableError } from "../src/domain/errors.js";
import type { AccountRow, OwnerEntry, ReceiptRow, SecretRow, Store } from "../src/store/types.js";
import { authContract } from "./store-contract-auth.js";
import { mailContract } from "./store-contract-mail.js";

export interface OpenedStore {
  store: Store;
  /** Releases everything the store used; must also work after `store.close()`. */
  cleanup(): Promise<void>;
}

const HOUR = 3600_000;
/** Racing callers per concurrency test. */
const RACERS = 64;

export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`store contract: ${name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
    });
    afterEach(() => opened.cleanup());
    mailContract(() => store);
    authContract(() => store);

    describe("secrets", () => {
      test("create stores the secret and its receipt together; peek returns the header only", async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now);
        const header = await store.peekSecret(secret.id, now);
        assert.ok(header !== null);
        assert.equal("ciphertext" in header, false);
        const { ciphertext, ...expected } = secret;
        assert.deepEqual(header, expected);
        for (const value of Object.values(header)) {
          if (Buffer.isBuffer(value)) assert.equal(value.equals(ciphertext), false);
        }
        assert.deepEqual(await store.getReceipt(receipt.id, now), receipt);
      });

      test("every field survives the round trip (passphrase salt, domain, owner, recipients)", async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now, {
          passphrase: true,
          owner: "owner@example.com",
          recipients: ["fo*****@e*****.com", "ba*****@e*****.org"],
          shareDomain: "secrets.example.net",
          kind: "generate",
          state: "viewed",
        });
        assert.deepEqual(await store.getReceipt(receipt.id, now), receipt);
        assert.deepEqual(await store.takeSecret(secret.id, now + 1), secret);
      });

      test("peek consumes nothing and unknown ids read as absent", async () => {
        const now = Date.now();
        const { secret } = await put(store, now);
        await store.peekSecret(secret.id, now);
        await store.peekSecret(secret.id, now);
        assert.ok((await store.takeSecret(secret.id, now)) !== null);
        assert.equal(await store.peekSecret(hex(), now), null);
        assert.equal(await store.takeSecret(hex(), now), null);
        assert.equal(await store.getReceipt(hex(), now), null);
      });

      test("take returns the whole row once and marks the receipt received", async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now);
        const later = now + 5000;
        assert.deepEqual(await store.takeSecret(secret.id, later), secret);
        assert.equal(await store.takeSecret(secret.id, later), null);
        assert.equal(await store.peekSecret(secret.id, later), null);
        assert.deepEqual(await store.getReceipt(receipt.id, later), {
          ...receipt,
          state: "received",
          receivedAt: later,
          updatedAt: later,
        });
      });

      test("take of a secret whose receipt was viewed marks it received too", async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now, { state: "viewed" });
        assert.ok((await store.takeSecret(secret.id, now + 1)) !== null);
        assert.equal((await store.getReceipt(receipt.id, now + 1))?.state, "received");
      });

      test("an expired secret reads as absent at once and its take changes nothing", async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 2 * HOUR });
        assert.ok((await store.peekSecret(secret.id, secret.expiresAt - 1)) !== null);
        assert.equal(await store.peekSecret(secret.id, secret.expiresAt), null);
        assert.equal(await store.takeSecret(secret.id, secret.expiresAt), null);
        assert.equal(await store.takeSecret(secret.id, secret.expiresAt + HOUR / 2), null);
        assert.deepEqual(await store.getReceipt(receipt.id, secret.expiresAt), receipt);
      });

      test(`${RACERS} concurrent takes of one secret: exactly one gets the row`, async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now);
        const results = await Promise.all(
          Array.from({ length: RACERS }, () => store.takeSecret(secret.id, now + 1)),
        );
        const winners = results.filter((r) => r !== null);
        assert.equal(winners.length, 1);
        assert.deepEqual(winners[0], secret);
        assert.equal((await store.getReceipt(receipt.id, now + 1))?.state, "received");
      });
    });

    describe("receipts", () => {
      test("an expired receipt reads as absent and cannot change", async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: HOUR });
        const at = receipt.expiresAt;
        assert.ok((await store.getReceipt(receipt.id, at - 1)) !== null);
        assert.equal(await store.getReceipt(receipt.id, at), null);
        assert.equal(await store.transitionReceipt(receipt.id, ["new"], "viewed", at), null);
        assert.equal(await store.burn(receipt.id, at), null);
        assert.equal(await store.takeSecret(secret.id, at), null);
        assert.deepEqual(await store.getReceipt(receipt.id, now), receipt);
      });

      test("transition moves a receipt only from the listed states", async () => {
        const now = Date.now();
        const { receipt } = await put(store, now);
        const viewed = await store.transitionReceipt(receipt.id, ["new", "viewed"], "viewed", now + 10);
        assert.deepEqual(viewed, { ...receipt, state: "viewed", updatedAt: now + 10 });
        const unchanged = await store.transitionReceipt(receipt.id, ["new"], "orphaned", now + 20);
        assert.deepEqual(unchanged, viewed);
        const orphaned = await store.transitionReceipt(receipt.id, ["viewed"], "orphaned", now + 30);
        assert.deepEqual(orphaned, { ...receipt, state: "orphaned", updatedAt: now + 30 });
        assert.equal(await store.transitionReceipt(hex(), ["new", "viewed"], "viewed", now), null);
      });

      test("terminal states never change again, whatever `from` lists", async () => {
        const now = Date.now();
        const all = ["new", "viewed", "received", "burned", "expired", "orphaned"] as const;
        const received = await put(store, now);
        await store.takeSecret(received.secret.id, now + 1);
        const burned = await put(store, now);
        await store.burn(burned.receipt.id, now + 1);
        const expired = await put(store, now);
        await store.transitionReceipt(expired.receipt.id, ["new"], "expired", now + 1);
        const orphaned = await put(store, now);
        await store.transitionReceipt(orphaned.receipt.id, ["new"], "orphaned", now + 1);

        for (const [state, { receipt }] of Object.entries({ received, burned, expired, orphaned })) {
          const before = await store.getReceipt(receipt.id, now + 2);
          assert.equal(before?.state, state);
          for (const to of ["viewed", "expired", "orphaned"] as const) {
            const after = await store.transitionReceipt(receipt.id, all, to, now + 3);
            assert.deepEqual(after, before, `${state} must not become ${to}`);
          }
        }
      });

      test("burn deletes the secret and marks the receipt burned, once", async () => {
        const now = Date.now();
        const { secret, receipt } = await put(store, now, { state: "viewed" });
        const burned = await store.burn(receipt.id, now + 7);
        assert.deepEqual(burned, { ...receipt, state: "burned", burnedAt: now + 7, updatedAt: now + 7 });
        assert.deepEqual(await store.getReceipt(receipt.id, now + 8), burned);
        assert.equal(await store.peekSecret(secret.id, now + 8), null);
        assert.equal(await store.takeSecret(secret.id, now + 8), null);
        assert.equal(await store.burn(receipt.id, now + 9), null);
        assert.equal(await store.burn(hex(), now), null);
      });

      test("burn answers null once the secret is read, gone by TTL, or the receipt terminal", async () => {
        const now = Date.now();
        const read = await put(store, now);
        await store.takeSecret(read.secret.id, now + 1);
        assert.equal(await store.burn(read.receipt.id, now + 2), null);
        assert.equal((await store.getReceipt(read.receipt.id, now + 2))?.state, "received");

        const lapsed = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 2 * HOUR });
        const at = lapsed.secret.expiresAt;
        assert.equal(await store.burn(lapsed.receipt.id, at), null);
        assert.deepEqual(await store.getReceipt(lapsed.receipt.id, at), lapsed.receipt);

        // A receipt marked orphaned keeps its secret out of reach of burn.
        const orphaned = await put(store, now);
        await store.transitionReceipt(orphaned.receipt.id, ["new"], "orphaned", now + 1);
        assert.equal(await store.burn(orphaned.receipt.id, now + 2), null);
        assert.equal((await store.getReceipt(orphaned.receipt.id, now + 2))?.state, "orphaned");
      });

      test("take racing burn: exactly one wins, and the receipt says which (50 secrets)", async () => {
        const now = Date.now();
        const pairs = await Promise.all(Array.from({ length: 50 }, () => put(store, now)));
        const outcomes = await Promise.all(
          pairs.map(async ({ secret, receipt }, i) => {
            const take = () => store.takeSecret(secret.id, now + 1);
            const burn = () => store.burn(receipt.id, now + 1);
            // Alternate who starts first so neither always has the head start.
            const [a, b] = i % 2 === 0 ? [take(), burn()] : [burn(), take()];
            const [first, second] = await Promise.all([a, b]);
            const [taken, burned] = i % 2 === 0 ? [first, second] : [second, first];
            return { taken, burned, after: await store.getReceipt(receipt.id, now + 2) };
          }),
        );
        for (const { taken, burned, after } of outcomes) {
          assert.equal((taken !== null) !== (burned !== null), true, "exactly one of take and burn wins");
          assert.equal(after?.state, taken !== null ? "received" : "burned");
        }
      });

      test("listReceipts: the owner's own, created since `since`, newest first", async () => {
        const now = Date.now();
        const alice = hex();
        const bob = hex();
        const a1 = await put(store, now, { owner: alice, createdAt: now - 3 * HOUR });
        const a2 = await put(store, now, { owner: alice, createdAt: now - 2 * HOUR });
        const a3 = await put(store, now, { owner: alice, createdAt: now - HOUR });
        const b1 = await put(store, now, { owner: bob, createdAt: now - HOUR });
        await put(store, now, { createdAt: now - HOUR }); // anonymous: nobody's list

        const all = await store.listReceipts(alice, 0, now);
        assert.deepEqual(
          all.map((o) => o.receipt),
          [a3, a2, a1].map((f) => f.receipt),
        );
        assert.deepEqual(
          all.map((o) => o.sealedMetadataKey),
          [a3, a2, a1].map((f) => f.owner?.sealedMetadataKey),
        );
        const since = await store.listReceipts(alice, now - 2 * HOUR, now);
        assert.deepEqual(
          since.map((o) => o.receipt.id),
          [a3.receipt.id, a2.receipt.id],
        );
        assert.deepEqual(
          (await store.listReceipts(bob, 0, now)).map((o) => o.receipt.id),
          [b1.receipt.id],
        );
        assert.deepEqual(await store.listReceipts(hex(), 0, now), []);
      });

      test("listReceipts shows terminal receipts as they are and leaves expired ones out", async () => {
        const now = Date.now();
        const owner = hex();
        const read = await put(store, now, { owner, createdAt: now - 2 * HOUR });
        const short = await put(store, now, {
          owner,
          createdAt: now - HOUR,
          secretTtlMs: 2 * HOUR,
          receiptTtlMs: 2 * HOUR,
        });
        await store.takeSecret(read.secret.id, now);
        const listed = await store.listReceipts(owner, 0, now + 1);
        assert.deepEqual(
          listed.map((o) => [o.receipt.id, o.receipt.state]),
          [
            [short.receipt.id, "new"],
            [read.receipt.id, "received"],
          ],
        );
        const later = await store.listReceipts(owner, 0, short.receipt.expiresAt);
        assert.deepEqual(
          later.map((o) => o.receipt.id),
          [read.receipt.id],
        );
      });
    });

    describe("accounts", () => {
      test("create, duplicate, get, set token", async () => {
        const now = Date.now();
        const account: AccountRow = {
          id: hex(),
          email: "carol@example.com",
          tokenHash: null,
          wrappedListKey: null,
          createdAt: now,
          updatedAt: now,
        };
        assert.equal(await store.createAccount(account), true);
        assert.equal(await store.createAccount({ ...account, email: "mallory@example.com" }), false);
        assert.deepEqual(await store.getAccount(account.id), account);
        assert.equal(await store.getAccount(hex()), null);

        const tokenHash = randomBytes(32);
        const wrapped = randomBytes(60);
        assert.equal(await store.setAccountToken(account.id, tokenHash, wrapped, now + 5), true);
        assert.deepEqual(await store.getAccount(account.id), {
          ...account,
          tokenHash,
          wrappedListKey: wrapped,
          updatedAt: now + 5,
        });
        assert.equal(await store.setAccountToken(hex(), tokenHash, wrapped, now), false);
      });

      test("delete removes the account, its list, its receipts and their secrets, and no one else's", async () => {
        const now = Date.now();
        const doomed = await newAccount(store, now);
        const other = await newAccount(store, now);
        const live = await put(store, now, { owner: doomed.id });
        const read = await put(store, now, { owner: doomed.id });
        await store.takeSecret(read.secret.id, now); // a received receipt goes too
        const theirs = await put(store, now, { owner: other.id });
        const anonymous = await put(store, now);

        assert.equal(await store.deleteAccount(doomed.id), true);
        assert.equal(await store.getAccount(doomed.id), null);
        assert.deepEqual(await store.listReceipts(doomed.id, 0, now), []);
        for (const { secret, receipt } of [live, read]) {
          assert.equal(await store.getReceipt(receipt.id, now), null);
          assert.equal(await store.peekSecret(secret.id, now), null);
        }
        assert.deepEqual(await store.getAccount(other.id), other);
        assert.equal((await store.listReceipts(other.id, 0, now)).length, 1);
        for (const { secret, receipt } of [theirs, anonymous]) {
          assert.deepEqual(await store.getReceipt(receipt.id, now), receipt);
          assert.ok((await store.peekSecret(secret.id, now)) !== null);
        }
        assert.equal(await store.deleteAccount(doomed.id), false);
        assert.equal(await store.deleteAccount(hex()), false);
      });
    });

    describe("counters", () => {
      test("hit counts inside a fixed window that later hits do not extend", async () => {
        const now = Date.now();
        const key = `rl:test:${hex()}`;
        assert.equal(await store.peekCount(key, now), 0);
        assert.equal(await store.hit(key, 1000, now), 1);
        assert.equal(await store.hit(key, 1000, now + 400), 2);
        assert.equal(await store.hit(key, 1000, now + 999), 3);
        assert.equal(await store.peekCount(key, now + 999), 3);
        assert.equal(await store.peekCount(key, now + 1000), 0, "the window ends at start + windowMs");
        // A hit after the end starts a new window at that moment.
        assert.equal(await store.hit(key, 1000, now + 1500), 1);
        assert.equal(await store.peekCount(key, now + 2499), 1);
        assert.equal(await store.peekCount(key, now + 2500), 0);
      });

      test("keys are independent; clear resets one", async () => {
        const now = Date.now();
        const a = `pp:a:${hex()}`;
        const b = `pp:b:${hex()}`;
        await store.hit(a, 60_000, now);
        await store.hit(a, 60_000, now);
        await store.hit(b, 60_000, now);
        await store.clearCount(a);
        assert.equal(await store.peekCount(a, now), 0);
        assert.equal(await store.peekCount(b, now), 1);
        assert.equal(await store.hit(a, 60_000, now), 1);
        await store.clearCount(`never:${hex()}`);
      });

      test(`${RACERS} concurrent hits each see a distinct count`, async () => {
        const now = Date.now();
        const key = `rl:race:${hex()}`;
        const counts = await Promise.all(Array.from({ length: RACERS }, () => store.hit(key, 60_000, now)));
        assert.deepEqual(
          [...counts].sort((x, y) => x - y),
          Array.from({ length: RACERS }, (_, i) => i + 1),
        );
        assert.equal(await store.peekCount(key, now), RACERS);
      });
    });

    describe("maintenance", () => {
      test("purgeExpired removes exactly the expired rows and returns how many", async () => {
        const now = Date.now();
        const live = await put(store, now, { secretTtlMs: 3 * HOUR, receiptTtlMs: 6 * HOUR });
        const secretGone = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 3 * HOUR });
        const bothGone = await put(store, now, { secretTtlMs: HOUR, receiptTtlMs: 2 * HOUR });
        const oldCounter = `rl:old:${hex()}`;
        const newCounter = `rl:new:${hex()}`;
        await store.hit(oldCounter, HOUR, now);
        await store.hit(newCounter, 3 * HOUR, now);

        const at = now + 2 * HOUR;
        // Expired: secretGone's secret, bothGone's secret and receipt, the old counter.
        assert.equal(await store.purgeExpired(at), 4);
        assert.equal(await store.purgeExpired(at), 0);

        // Read with the original clock: what was purged is really gone, the rest is intact.
        assert.equal(await store.peekSecret(secretGone.secret.id, now), null);
        assert.equal(await store.peekSecret(bothGone.secret.id, now), null);
        assert.equal(await store.getReceipt(bothGone.receipt.id, now), null);
        assert.equal(await store.peekCount(oldCounter, now), 0);
        assert.deepEqual(await store.getReceipt(secretGone.receipt.id, now), secretGone.receipt);
        assert.deepEqual(await store.getReceipt(live.receipt.id, now), live.receipt);
        assert.deepEqual(await store.takeSecret(live.secret.id, now), live.secret);
        assert.equal(await store.peekCount(newCounter, now), 1);
      });

      test("purgeExpired drops expired receipts from their owner's list", async () => {
        const now = Date.now();
        const owner = hex();
        const old = await put(store, now, { owner, secretTtlMs: HOUR, receiptTtlMs: HOUR });
        const kept = await put(store, now, { owner });
        assert.ok((await store.purgeExpired(now + HOUR)) >= 2);
        assert.deepEqual(
          (await store.listReceipts(owner, 0, now)).map((o) => o.receipt.id),
          [kept.receipt.id],
        );
        assert.equal(await store.getReceipt(old.receipt.id, now), null);
      });

      test("ping answers; after close every operation fails as unavailable", async () => {
        assert.equal(typeof store.name, "string");
        assert.ok(store.name.length > 0);
        await store.ping();
        const now = Date.now();
        const { secret } = await put(store, now);
        await store.close();
        await store.close(); // closing twice is harmless
        await assert.rejects(store.ping(), StoreUnavailableError);
        await assert.rejects(store.takeSecret(secret.id, now), StoreUnavailableError);
        await assert.rejects(store.hit("k", 1000, now), StoreUnavailableError);
      });
    });
  });
}

interface Fixture {
  secret: SecretRow;
  receipt: ReceiptRow;
  owner: OwnerEntry | null;
}

interface FixtureOptions {
  /** Account id owning the receipt (its list entry is created too); anonymous when absent. */
  owner?: string;
  createdAt?: number;
  secretTtlMs?: number;
  receiptTtlMs?: number;
  passphrase?: boolean;
  recipients?: string[];
  shareDomain?: string;
  kind?: ReceiptRow["kind"];
  state?: ReceiptRow["state"];
}

/** Stores a new secret with its receipt (random ids and bytes: the store never interprets them). */
async function put(store: Store, now: number, o: FixtureOptions = {}): Promise<Fixture> {
  const createdAt = o.createdAt ?? now;
  const secretExpiresAt = now + (o.secretTtlMs ?? 24 * HOUR);
  const secret: SecretRow = {
    id: hex(),
    receiptId: hex(),
    ciphertext: randomBytes(64),
    verifier: randomBytes(32),
    passphraseSalt: o.passphrase ? randomBytes(16) : null,
    shareDomain: o.shareDomain ?? "",
    createdAt,
    expiresAt: secretExpiresAt,
  };
  const receipt: ReceiptRow = {
    id: secret.receiptId,
    secretId: secret.id,
    sealedSecretKey: randomBytes(59),
    owner: o.owner === undefined ? null : `${o.owner}@example.com`,
    state: o.state ?? "new",
    kind: o.kind ?? "conceal",
    hasPassphrase: o.passphrase ?? false,
    ttl: Math.round((secretExpiresAt - createdAt) / 1000),
    createdAt,
    updatedAt: createdAt,
    secretExpiresAt,
    expiresAt: now + (o.receiptTtlMs ?? 48 * HOUR),
    receivedAt: null,
    burnedAt: null,
    recipients: o.recipients ?? [],
    shareDomain: o.shareDomain ?? "",
  };
  const owner = o.owner === undefined ? null : { accountId: o.owner, sealedMetadataKey: randomBytes(59) };
  await store.createSecret(secret, receipt, owner);
  return { secret, receipt, owner };
}

async function newAccount(store: Store, now: number): Promise<AccountRow> {
  const account: AccountRow = {
    id: hex(),
    email: `${hex().slice(0, 8)}@example.com`,
    tokenHash: randomBytes(32),
    wrappedListKey: randomBytes(60),
    createdAt: now,
    updatedAt: now,
  };
  assert.equal(await store.createAccount(account), true);
  return account;
}

function hex(): string {
  return randomBytes(32).toString("hex");
}
