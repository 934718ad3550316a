// What the admin pages ask of the store (called from storeContract): disabling and finding
// accounts, listing and retrying queued mail, and the store's figures.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import type { MailRow, Store } from "../../src/store/types.js";
import { HOUR, hex, newAccount, put } from "./store-contract-fixtures.js";

const LEASE = 120_000;

function mail(now: number, overrides: Partial<MailRow> = {}): MailRow {
  return {
    id: randomBytes(16).toString("hex"),
    receiptId: null,
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

export function adminContract(current: () => Store): void {
  describe("admin", () => {
    test("an account is disabled and enabled again; its token still finds it (the caller decides)", async () => {
      const store = current();
      const now = Date.now();
      const created = await newAccount(store, now);
      const tokenHash = randomBytes(32);
      const wrappedListKey = randomBytes(60);
      await store.accounts.setToken(created.id, tokenHash, wrappedListKey, now);
      const account = { ...created, tokenHash, wrappedListKey };
      assert.equal(await store.accounts.setDisabled(account.id, now + 1, now + 1), true);
      assert.deepEqual(await store.accounts.get(account.id), {
        ...account,
        disabledAt: now + 1,
        updatedAt: now + 1,
      });
      assert.equal(await store.accounts.accountByToken(tokenHash), account.id);
      assert.equal(await store.accounts.setDisabled(account.id, null, now + 2), true);
      assert.deepEqual(await store.accounts.get(account.id), { ...account, updatedAt: now + 2 });
      assert.equal(await store.accounts.setDisabled(hex(), now, now), false);
    });

    test("accounts are found by any part of their address, in address order, up to a limit", async () => {
      const store = current();
      const now = Date.now();
      const emails = ["zoe@example.org", "adam@example.com", "mia@example.org", "bob@other.net"];
      for (const email of emails) {
        const account = { ...(await newAccount(store, now)), email };
        await store.accounts.delete(account.id);
        await store.accounts.create(account);
      }
      const found = async (search: string, limit = 10) =>
        (await store.accounts.findAccounts(search, limit)).map((a) => a.email);
      assert.deepEqual(await found(""), [
        "adam@example.com",
        "bob@other.net",
        "mia@example.org",
        "zoe@example.org",
      ]);
      assert.deepEqual(await found("EXAMPLE.ORG"), ["mia@example.org", "zoe@example.org"]);
      assert.deepEqual(await found("o", 2), ["adam@example.com", "bob@other.net"]);
      assert.deepEqual(await found("%"), [], "a search is plain text, not a pattern");
      const [row] = await store.accounts.findAccounts("bob@", 1);
      assert.deepEqual(row, await store.accounts.get(row?.id ?? ""), "whole rows");
    });

    test("the outbox lists queued and failed mail, newest change first, without the message", async () => {
      const store = current();
      const now = Date.now();
      const older = mail(now, { updatedAt: now - 20 });
      const newer = mail(now, {
        updatedAt: now - 10,
        attempts: 2,
        lastError: "ECONNREFUSED",
        dueAt: now + HOUR,
      });
      const failed = mail(now, {
        state: "failed",
        sealed: Buffer.alloc(0),
        attempts: 8,
        lastError: "smtp_550",
      });
      const expired = mail(now, { expiresAt: now + HOUR });
      for (const m of [older, newer, failed, expired]) await store.outbox.enqueue(m);
      const summary = ({ sealed: _, ...rest }: MailRow) => rest;
      const at = now + HOUR;
      assert.deepEqual(await store.outbox.list("queued", 10, at), [newer, older].map(summary));
      assert.deepEqual(await store.outbox.list("queued", 1, at), [summary(newer)]);
      assert.deepEqual(await store.outbox.list("failed", 10, at), [summary(failed)]);
    });

    test("retry now: a queued mail no worker can hold becomes due at once; nothing else moves", async () => {
      const store = current();
      const now = Date.now();
      const waiting = mail(now);
      await store.outbox.enqueue(waiting);
      assert.equal((await store.outbox.claim(now, LEASE))?.id, waiting.id);
      assert.equal(
        await store.outbox.retryNow(waiting.id, LEASE, now + LEASE - 1),
        false,
        "a worker may hold it",
      );
      await store.outbox.settle(
        waiting.id,
        { state: "queued", dueAt: now + HOUR, lastError: "ETIMEDOUT" },
        now,
      );
      assert.equal(await store.outbox.retryNow(waiting.id, LEASE, now + 1000), false, "settled too recently");
      const later = now + LEASE;
      assert.equal(await store.outbox.claim(later, LEASE), null, "not due before the retry");
      assert.equal(await store.outbox.retryNow(waiting.id, LEASE, later), true);
      const claimed = await store.outbox.claim(later, LEASE);
      assert.deepEqual([claimed?.id, claimed?.attempts], [waiting.id, 2]);

      await store.outbox.settle(waiting.id, { state: "sent" }, later);
      assert.equal(await store.outbox.retryNow(waiting.id, LEASE, later + LEASE), false, "sent is final");
      assert.equal(await store.outbox.retryNow(hex().slice(0, 32), LEASE, later), false);
    });

    test("figures: live secrets, receipts, accounts and sessions, and a size", async () => {
      const store = current();
      const now = Date.now();
      const empty = await store.size.measure(now);
      assert.deepEqual(
        { ...empty, bytes: 0 },
        { secrets: 0, receipts: 0, accounts: 0, sessions: 0, bytes: 0 },
      );
      const account = await newAccount(store, now);
      await newAccount(store, now);
      await put(store, now, { owner: account.id });
      const read = await put(store, now);
      await store.secrets.take(read.secret.id, now);
      const session = {
        id: hex(),
        accountId: account.id,
        sealedListKey: null,
        createdAt: now,
        expiresAt: now + HOUR,
      };
      await store.accounts.createSession(session);
      const figures = await store.size.measure(now);
      assert.deepEqual(
        { ...figures, bytes: 0 },
        { secrets: 1, receipts: 2, accounts: 2, sessions: 1, bytes: 0 },
      );
      assert.ok(figures.bytes > 0);
    });
  });
}
