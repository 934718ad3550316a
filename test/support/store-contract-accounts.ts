// The accounts part of the store contract (called from storeContract): accounts, their web sign-in
// (credentials, sessions, one-time tickets), and an account's deletion with everything of it.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { AccountRow, CredentialsRow, SessionRow, Store } from "../../src/store/types.js";
import { HOUR, hex, newAccount, put } from "./store-contract-fixtures.js";

export function accountsContract(current: () => Store): void {
  describe("accounts", () => {
    test("create, duplicate, get, set token", async () => {
      const store = current();
      const now = Date.now();
      const account: AccountRow = {
        id: hex(),
        email: "carol@example.com",
        tokenHash: null,
        wrappedListKey: null,
        createdAt: now,
        updatedAt: now,
        disabledAt: null,
      };
      assert.equal(await store.accounts.create(account), true);
      assert.equal(await store.accounts.create({ ...account, email: "mallory@example.com" }), false);
      assert.deepEqual(await store.accounts.get(account.id), account);
      assert.equal(await store.accounts.get(hex()), null);

      const tokenHash = randomBytes(32);
      const wrapped = randomBytes(60);
      assert.equal(await store.accounts.setToken(account.id, tokenHash, wrapped, now + 5), true);
      assert.deepEqual(await store.accounts.get(account.id), {
        ...account,
        tokenHash,
        wrappedListKey: wrapped,
        updatedAt: now + 5,
      });
      assert.equal(await store.accounts.setToken(hex(), tokenHash, wrapped, now), false);
      assert.equal(await store.accounts.setToken(account.id, null, null, now + 9), true, "revoked");
      assert.deepEqual(await store.accounts.get(account.id), { ...account, updatedAt: now + 9 });
    });

    test("a token hash finds its account; a replaced or unknown one finds nothing", async () => {
      const store = current();
      const now = Date.now();
      const id = hex();
      await store.accounts.create({
        id,
        email: "tess@example.com",
        tokenHash: null,
        wrappedListKey: null,
        createdAt: now,
        updatedAt: now,
        disabledAt: null,
      });
      const first = randomBytes(32);
      const second = randomBytes(32);
      assert.equal(await store.accounts.setToken(id, first, randomBytes(60), now), true);
      assert.equal(await store.accounts.accountByToken(first), id);
      assert.equal(await store.accounts.setToken(id, second, randomBytes(60), now + 1), true);
      assert.equal(await store.accounts.accountByToken(second), id);
      assert.equal(await store.accounts.accountByToken(first), null);
      assert.equal(await store.accounts.accountByToken(randomBytes(32)), null);
      const third = randomBytes(32);
      assert.equal(await store.accounts.setToken(id, third, randomBytes(60), now + 2), true);
      assert.equal(await store.accounts.setToken(id, null, null, now + 3), true);
      assert.equal(await store.accounts.accountByToken(third), null, "revoked");
      assert.equal(await store.accounts.setToken(id, second, randomBytes(60), now + 4), true);
      assert.equal(await store.accounts.delete(id), true);
      assert.equal(await store.accounts.accountByToken(second), null);
    });

    test("delete removes the account with its credentials, sessions, list, receipts and secrets, and no one else's", async () => {
      const store = current();
      const now = Date.now();
      const doomed = await newAccount(store, now);
      const other = await newAccount(store, now);
      const live = await put(store, now, { owner: doomed.id });
      const read = await put(store, now, { owner: doomed.id });
      await store.secrets.take(read.secret.id, now); // a received receipt goes too
      const theirs = await put(store, now, { owner: other.id });
      const anonymous = await put(store, now);
      const signIns = [doomed, other].map((account) => ({
        credentials: credentials(account.id, now),
        sessions: [session(account.id, now), session(account.id, now)],
      }));
      for (const { credentials, sessions } of signIns) {
        await store.accounts.setCredentials(credentials);
        for (const s of sessions) await store.accounts.createSession(s);
      }

      assert.equal(await store.accounts.delete(doomed.id), true);
      assert.equal(await store.accounts.get(doomed.id), null);
      assert.equal(await store.accounts.getCredentials(doomed.id), null);
      for (const s of signIns[0]?.sessions ?? [])
        assert.equal(await store.accounts.getSession(s.id, now), null);
      assert.deepEqual(await store.secrets.listReceipts(doomed.id, 0, now), []);
      for (const { secret, receipt } of [live, read]) {
        assert.equal(await store.secrets.getReceipt(receipt.id, now), null);
        assert.equal(await store.secrets.peek(secret.id, now), null);
      }

      assert.deepEqual(await store.accounts.get(other.id), other);
      assert.deepEqual(await store.accounts.getCredentials(other.id), signIns[1]?.credentials);
      for (const s of signIns[1]?.sessions ?? [])
        assert.deepEqual(await store.accounts.getSession(s.id, now), s);
      assert.equal((await store.secrets.listReceipts(other.id, 0, now)).length, 1);
      for (const { secret, receipt } of [theirs, anonymous]) {
        assert.deepEqual(await store.secrets.getReceipt(receipt.id, now), receipt);
        assert.ok((await store.secrets.peek(secret.id, now)) !== null);
      }
      assert.equal(await store.accounts.delete(doomed.id), false);
      assert.equal(await store.accounts.delete(hex()), false);
    });

    test("delete racing new shares and sign-ins: all that was there when it began is gone", async () => {
      const store = current();
      const now = Date.now();
      const account = await newAccount(store, now);
      await store.accounts.setCredentials(credentials(account.id, now));
      const before = await Promise.all(
        Array.from({ length: 4 }, () => put(store, now, { owner: account.id })),
      );
      const signedIn = [session(account.id, now), session(account.id, now)];
      for (const s of signedIn) await store.accounts.createSession(s);
      const [deleted] = await Promise.all([
        store.accounts.delete(account.id),
        ...Array.from({ length: 8 }, () => put(store, now, { owner: account.id })),
        ...Array.from({ length: 8 }, () => store.accounts.createSession(session(account.id, now))),
      ]);
      assert.equal(deleted, true);
      assert.equal(await store.accounts.get(account.id), null);
      assert.equal(await store.accounts.getCredentials(account.id), null);
      for (const s of signedIn) assert.equal(await store.accounts.getSession(s.id, now), null);
      for (const { secret, receipt } of before) {
        assert.equal(await store.secrets.getReceipt(receipt.id, now), null);
        assert.equal(await store.secrets.peek(secret.id, now), null);
      }
    });
  });

  describe("sign-in", () => {
    test("credentials: set, replace, get", async () => {
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
      await store.accounts.setCredentials(row);
      assert.deepEqual(await store.accounts.getCredentials(row.accountId), row);
      const changed = {
        ...row,
        wrappedListKey: randomBytes(60),
        verifiedAt: now + 1,
        locale: "fr",
        updatedAt: now + 1,
      };
      await store.accounts.setCredentials(changed);
      assert.deepEqual(await store.accounts.getCredentials(row.accountId), changed);
      assert.equal(await store.accounts.getCredentials(hex()), null);
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
      // A single sign-on's groups claim comes back as written.
      const c = { ...a, id: hex(), groups: ["staff", "onetime admins", "é"] };
      await store.accounts.createSession(c);
      assert.deepEqual(await store.accounts.getSession(c.id, now), c);
      const theirs = { ...a, id: hex(), accountId: other };
      for (const s of [a, b, theirs]) await store.accounts.createSession(s);
      assert.deepEqual(await store.accounts.getSession(a.id, now), a);
      assert.deepEqual(await store.accounts.getSession(b.id, now), b);
      assert.equal(await store.accounts.getSession(a.id, now + HOUR), null, "expired reads as absent");
      await store.accounts.deleteSession(a.id);
      assert.equal(await store.accounts.getSession(a.id, now), null);
      await store.accounts.deleteSessions(account);
      assert.equal(await store.accounts.getSession(b.id, now), null);
      assert.deepEqual(await store.accounts.getSession(theirs.id, now), theirs);
    });

    test("tickets: taken once, by one of many racing callers; expired ones never", async () => {
      const store = current();
      const now = Date.now();
      const ticket = { id: hex(), purpose: "reset" as const, accountId: hex(), expiresAt: now + HOUR };
      await store.accounts.createTicket(ticket);
      const takes = await Promise.all(
        Array.from({ length: 16 }, () => store.accounts.takeTicket(ticket.id, now)),
      );
      assert.deepEqual(
        takes.filter((t) => t !== null),
        [ticket],
      );
      const old = { ...ticket, id: hex(), purpose: "verify" as const };
      await store.accounts.createTicket(old);
      assert.equal(await store.accounts.takeTicket(old.id, now + HOUR), null);
      assert.equal(
        await store.accounts.takeTicket(old.id, now),
        null,
        "an expired ticket is gone once looked at",
      );
    });

    test("deleteTickets ends every ticket of one account and purpose, and no other", async () => {
      const store = current();
      const now = Date.now();
      const accountId = hex();
      const make = (purpose: "reset" | "verify", owner = accountId) => ({
        id: hex(),
        purpose,
        accountId: owner,
        expiresAt: now + HOUR,
      });
      const resets = [make("reset"), make("reset")];
      const kept = [make("verify"), make("reset", hex())];
      for (const t of [...resets, ...kept]) await store.accounts.createTicket(t);
      await store.accounts.deleteTickets(accountId, "reset");
      for (const t of resets) assert.equal(await store.accounts.takeTicket(t.id, now), null);
      for (const t of kept) assert.deepEqual(await store.accounts.takeTicket(t.id, now), t);
      const later = make("reset");
      await store.accounts.createTicket(later);
      assert.deepEqual(await store.accounts.takeTicket(later.id, now), later, "new tickets still work");
    });
  });
}

function credentials(accountId: string, now: number): CredentialsRow {
  return {
    accountId,
    salt: randomBytes(16),
    verifier: randomBytes(32),
    wrappedListKey: randomBytes(60),
    verifiedAt: now,
    locale: null,
    updatedAt: now,
  };
}

function session(accountId: string, now: number): SessionRow {
  return { id: hex(), accountId, sealedListKey: randomBytes(60), createdAt: now, expiresAt: now + HOUR };
}
