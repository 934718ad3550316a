// The audit part of the store contract (called from storeContract): the log of account-security
// events and admin actions, paged in time order, filtered, and kept until each entry expires.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { AuditEntry, Store } from "../../src/store/types.js";
import { HOUR, RACERS } from "./store-contract-fixtures.js";

const DAY = 24 * HOUR;
let sequence = 0;

/** An entry at `at` (ids sort by time, as actions/audit.ts makes them). */
function entry(at: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  // A counter keeps entries of one millisecond in the order they were made.
  const random = `${(sequence++).toString(16).padStart(6, "0")}${randomBytes(5).toString("hex")}`;
  return {
    id: `${String(at).padStart(15, "0")}-${random}`,
    at,
    actor: "alice@example.com",
    action: "signin",
    target: "alice@example.com",
    ip: randomBytes(16).toString("hex"),
    outcome: "ok",
    detail: "",
    expiresAt: at + 90 * DAY,
    ...overrides,
  };
}

const ids = (entries: AuditEntry[]) => entries.map((e) => e.id);

export function auditContract(current: () => Store): void {
  describe("audit log", () => {
    test("entries come back whole, newest or oldest first, in pages", async () => {
      const store = current();
      const now = Date.now();
      const made = [entry(now - 3000), entry(now - 2000, { outcome: "failed", detail: "bad_credentials" })];
      made.push(entry(now - 2000, { actor: "system", action: "account_deleted", target: "bob@example.com" }));
      made.push(entry(now - 1000, { actor: "anonymous", target: "" }));
      for (const e of [made[2], made[0], made[3], made[1]]) await store.audit.append(e as AuditEntry);

      const newest = await store.audit.list({ now, limit: 10, order: "newest" });
      assert.deepEqual(newest, [...made].reverse(), "every field as written");
      assert.deepEqual(await store.audit.list({ now, limit: 10, order: "oldest" }), made);

      const first = await store.audit.list({ now, limit: 3, order: "newest" });
      assert.deepEqual(ids(first), ids([...made].reverse().slice(0, 3)));
      const rest = await store.audit.list({ now, limit: 3, order: "newest", after: first[2]?.id });
      assert.deepEqual(ids(rest), [made[0]?.id]);
      const later = await store.audit.list({ now, limit: 2, order: "oldest", after: made[1]?.id });
      assert.deepEqual(ids(later), ids(made.slice(2)));
      assert.deepEqual(await store.audit.list({ now, limit: 2, order: "oldest", after: made[3]?.id }), []);
    });

    test("filters: about an account (as actor or target), from a client", async () => {
      const store = current();
      const now = Date.now();
      const client = randomBytes(16).toString("hex");
      const byCarol = entry(now - 500, { actor: "carol@example.com", target: "dave@example.com" });
      const onCarol = entry(now - 400, {
        actor: "root@example.com",
        target: "carol@example.com",
        ip: client,
      });
      const other = entry(now - 300, { actor: "erin@example.com", target: "erin@example.com", ip: client });
      for (const e of [byCarol, onCarol, other]) await store.audit.append(e);
      const about = (who: string) => store.audit.list({ now, limit: 10, order: "oldest", about: who });
      assert.deepEqual(await about("carol@example.com"), [byCarol, onCarol]);
      assert.deepEqual(await about("dave@example.com"), [byCarol]);
      assert.deepEqual(await about("nobody@example.com"), []);
      assert.deepEqual(await store.audit.list({ now, limit: 10, order: "newest", ip: client }), [
        other,
        onCarol,
      ]);
      assert.deepEqual(
        await store.audit.list({ now, limit: 10, order: "newest", ip: client, about: "erin@example.com" }),
        [other],
      );
    });

    test("a filtered page fills from however far back its entries are", async () => {
      const store = current();
      const now = Date.now();
      const rare: AuditEntry[] = [];
      for (let i = 0; i < 450; i++) {
        const e = entry(now - 450 + i, i % 150 === 0 ? { target: "rare@example.com" } : {});
        if (i % 150 === 0) rare.push(e);
        await store.audit.append(e);
      }
      const page = (after?: string) =>
        store.audit.list({ now, limit: 2, order: "newest", about: "rare@example.com", after });
      const first = await page();
      assert.deepEqual(ids(first), ids([rare[2], rare[1]] as AuditEntry[]));
      assert.deepEqual(ids(await page(first[1]?.id)), [rare[0]?.id]);
    });

    test("an expired entry reads as absent at once, and the sweep deletes it", async () => {
      const store = current();
      const now = Date.now();
      const old = entry(now - 2 * HOUR, { expiresAt: now + HOUR });
      const kept = entry(now - HOUR, { expiresAt: now + 3 * HOUR });
      for (const e of [old, kept]) await store.audit.append(e);
      const at = now + 2 * HOUR;
      assert.deepEqual(await store.audit.list({ now: at, limit: 10, order: "newest" }), [kept]);
      assert.equal(await store.purgeExpired(at), 1);
      assert.deepEqual(await store.audit.list({ now, limit: 10, order: "newest" }), [kept], "gone for good");
    });

    test(`${RACERS} concurrent appends are all kept`, async () => {
      const store = current();
      const now = Date.now();
      const made = Array.from({ length: RACERS }, (_, i) => entry(now + i));
      await Promise.all(made.map((e) => store.audit.append(e)));
      assert.deepEqual(await store.audit.list({ now, limit: 2 * RACERS, order: "oldest" }), made);
    });
  });
}
