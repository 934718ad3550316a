import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { storeContract } from "../../test/support/store-contract.js";
import { HOUR, hex, newAccount, put } from "../../test/support/store-contract-fixtures.js";
import { tempDir } from "../../test/support/temp.js";
import { SECRETS_SCHEMA } from "./sqlite/secrets.js";
import { DATABASE_FILE, openSqliteStore } from "./sqlite.js";

/** What every store operation throws when the backend cannot answer. */
const UNAVAILABLE = { name: "AppError", code: "store_unavailable" };

storeContract("sqlite", async () => {
  const dir = tempDir("onetime-sqlite-");
  const store = openSqliteStore({ dataDir: dir.path });
  return {
    store,
    async cleanup() {
      await store.close();
      dir.remove();
    },
  };
});

test("sqlite: two connections on one data directory see one take", async () => {
  using dir = tempDir("onetime-sqlite-");
  const dataDir = dir.path;
  const a = openSqliteStore({ dataDir });
  const b = openSqliteStore({ dataDir });
  try {
    const now = Date.now();
    const { secret, receipt } = await put(a, now);
    assert.ok((await b.secrets.peek(secret.id, now)) !== null);
    const results = await Promise.all([
      a.secrets.take(secret.id, now),
      b.secrets.take(secret.id, now),
      a.secrets.burn(receipt.id, now),
    ]);
    assert.equal(results.filter((r) => r !== null).length, 1);
    assert.equal((await b.secrets.getReceipt(receipt.id, now))?.state, "received");
  } finally {
    await a.close();
    await b.close();
  }
});

test("sqlite: an account's deletion that fails on any table leaves every row of it in place", async () => {
  using dir = tempDir("onetime-sqlite-");
  const dataDir = dir.path;
  const store = openSqliteStore({ dataDir });
  // A second connection installs a trigger that fails the deletion on one table at a time.
  const saboteur = new Database(join(dataDir, DATABASE_FILE));
  try {
    const now = Date.now();
    const account = await newAccount(store, now);
    const owned = await put(store, now, { owner: account.id });
    const credentials = {
      accountId: account.id,
      salt: Buffer.alloc(16, 1),
      verifier: Buffer.alloc(32, 2),
      wrappedListKey: null,
      verifiedAt: now,
      locale: null,
      updatedAt: now,
    };
    await store.accounts.setCredentials(credentials);
    const session = {
      id: hex(),
      accountId: account.id,
      sealedListKey: null,
      createdAt: now,
      expiresAt: now + HOUR,
    };
    await store.accounts.createSession(session);

    for (const table of ["secrets", "receipts", "account_receipts", "sessions", "credentials", "accounts"]) {
      saboteur.exec(`CREATE TRIGGER sabotage BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, 'no'); END`);
      await assert.rejects(store.accounts.delete(account.id), UNAVAILABLE, table);
      saboteur.exec("DROP TRIGGER sabotage");
      assert.deepEqual(await store.accounts.get(account.id), account, table);
      assert.deepEqual(await store.accounts.getCredentials(account.id), credentials, table);
      assert.deepEqual(await store.accounts.getSession(session.id, now), session, table);
      assert.equal((await store.secrets.listReceipts(account.id, 0, now)).length, 1, table);
      assert.deepEqual(await store.secrets.getReceipt(owned.receipt.id, now), owned.receipt, table);
      assert.ok((await store.secrets.peek(owned.secret.id, now)) !== null, table);
    }
    assert.equal(await store.accounts.delete(account.id), true);
    assert.equal(await store.accounts.getCredentials(account.id), null);
  } finally {
    saboteur.close();
    await store.close();
  }
});

test("sqlite: a database made before client secrets gains their columns on open; its rows read as server secrets", async () => {
  using dir = tempDir("onetime-sqlite-");
  const old = new Database(join(dir.path, DATABASE_FILE));
  const before = SECRETS_SCHEMA.replace(
    ", encryption TEXT, kdf_salt BLOB, kdf_iterations INTEGER",
    "",
  ).replace("share_domain TEXT NOT NULL, encryption TEXT", "share_domain TEXT NOT NULL");
  assert.doesNotMatch(before, /encryption|kdf_/);
  old.exec(before);
  const now = Date.now();
  old
    .prepare(
      `INSERT INTO secrets (id, receipt_id, ciphertext, verifier, passphrase_salt, share_domain, created_at, expires_at)
       VALUES ('s1', 'r1', x'00', x'01', NULL, '', ?, ?)`,
    )
    .run(now, now + HOUR);
  old
    .prepare(
      `INSERT INTO receipts (id, secret_id, sealed_secret_key, owner, state, kind, has_passphrase, ttl, created_at,
         updated_at, secret_expires_at, expires_at, received_at, burned_at, recipients, share_domain)
       VALUES ('r1', 's1', x'02', NULL, 'new', 'conceal', 0, 3600, ?, ?, ?, ?, NULL, NULL, '[]', '')`,
    )
    .run(now, now, now + HOUR, now + 2 * HOUR);
  old.close();
  for (let open = 0; open < 2; open++) {
    const store = openSqliteStore({ dataDir: dir.path });
    try {
      assert.equal((await store.secrets.peek("s1", now))?.client, null);
      assert.equal((await store.secrets.getReceipt("r1", now))?.encryption, "server");
      const { secret } = await put(store, now, { client: true, passphrase: true });
      assert.deepEqual((await store.secrets.take(secret.id, now))?.client, secret.client);
    } finally {
      await store.close();
    }
  }
});
