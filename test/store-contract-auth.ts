// The web sign-in part of the store contract (called from storeContract): credentials, sessions,
// one-time tickets.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { CredentialsRow, Store } from "../src/store/types.js";

const HOUR = 3600_000;
const hex = () => randomBytes(32).toString("hex");

export function authContract(current: () => Store): void {
  describe("sign-in", () => {
    test("credentials: set, replace, get, delete", async () => {
      const store = current();
      const now = Date.now();
      const row: CredentialsRow = {
        accountId: hex(),
        salt: randomBytes(16),
        verifier: randomBytes(32),
        wrappedListKey: null,
        verifiedAt: null,
        locale: null,
        updatedAt: now,
      };
      await store.setCredentials(row);
      assert.deepEqual(await store.getCredentials(row.accountId), row);
      const changed = {
        ...row,
        wrappedListKey: randomBytes(60),
        verifiedAt: now + 1,
        locale: "fr",
        updatedAt: now + 1,
      };
      await store.setCredentials(changed);
      assert.deepEqual(await store.getCredentials(row.accountId), changed);
      assert.equal(await store.getCredentials(hex()), null);
      await store.deleteCredentials(row.accountId);
      assert.equal(await store.getCredentials(row.accountId), null);
    });

    test("sessions: live until they expire; deleted one by one or all of an account's at once", async () => {
      const store = current();
      const now = Date.now();
      const account = hex();
      const other = hex();
      const a = {
        id: hex(),
        accountId: account,
        sealedListKey: randomBytes(60),
        createdAt: now,
        expiresAt: now + HOUR,
      };
      const b = { ...a, id: hex(), sealedListKey: null };
      const theirs = { ...a, id: hex(), accountId: other };
      for (const s of [a, b, theirs]) await store.createSession(s);
      assert.deepEqual(await store.getSession(a.id, now), a);
      assert.deepEqual(await store.getSession(b.id, now), b);
      assert.equal(await store.getSession(a.id, now + HOUR), null, "expired reads as absent");
      await store.deleteSession(a.id);
      assert.equal(await store.getSession(a.id, now), null);
      await store.deleteSessions(account);
      assert.equal(await store.getSession(b.id, now), null);
      assert.deepEqual(await store.getSession(theirs.id, now), theirs);
    });

    test("tickets: taken once, by one of many racing callers; expired ones never", async () => {
      const store = current();
      const now = Date.now();
      const ticket = { id: hex(), purpose: "reset" as const, accountId: hex(), expiresAt: now + HOUR };
      await store.createTicket(ticket);
      const takes = await Promise.all(Array.from({ length: 16 }, () => store.takeTicket(ticket.id, now)));
      assert.deepEqual(
        takes.filter((t) => t !== null),
        [ticket],
      );
      const old = { ...ticket, id: hex(), purpose: "verify" as const };
      await store.createTicket(old);
      assert.equal(await store.takeTicket(old.id, now + HOUR), null);
      assert.equal(await store.takeTicket(old.id, now), null, "an expired ticket is gone once looked at");
    });
  });
}
