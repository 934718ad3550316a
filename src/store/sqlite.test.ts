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

// The contract is about what the store answers, not about surviving a power loss
// (sqlite-durability.test.ts and crash.test.ts cover that): no fsync per commit.
storeContract("sqlite", async () => {
  const dir = tempDir("onetime-sqlite-");
  const store = openSqliteStore({ dataDir: dir.path, synchronous: "normal" });
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

test("sqlite: two connections on one data directory share a 3-view secret's views exactly", async () => {
  using dir = tempDir("onetime-sqlite-");
  const a = openSqliteStore({ dataDir: dir.path });
  const b = openSqliteStore({ dataDir: dir.path });
  try {
    const now = Date.now();
    const { secret, receipt } = await put(a, now, { views: 3 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).secrets.take(secret.id, now + i)),
    );
    assert.equal(results.filter((r) => r !== null).length, 3);
    const after = await a.secrets.getReceipt(receipt.id, now + 20);
    assert.deepEqual([after?.state, after?.readTimes.length], ["received", 3]);
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

/** SECRETS_SCHEMA as it was before the listed columns were added. */
function schemaWithout(columns: readonly string[]): string {
  let schema = SECRETS_SCHEMA;
  for (const column of columns) schema = schema.replace(new RegExp(`,\\s*${column} [A-Z]+`, "g"), "");
  return schema;
}

/** An older database: the schema without the given columns, one secret s1 and its receipt r1. */
function oldDatabase(dir: string, columns: readonly string[], now: number, receivedAt: number | null): void {
  const old = new Database(join(dir, DATABASE_FILE));
  old.exec(schemaWithout(columns));
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
       VALUES ('r1', 's1', x'02', NULL, ?, 'conceal', 0, 3600, ?, ?, ?, ?, ?, NULL, '[]', '')`,
    )
    .run(receivedAt === null ? "new" : "received", now, now, now + HOUR, now + 2 * HOUR, receivedAt);
  old.close();
}

const CLIENT_COLUMNS = ["encryption", "kdf_salt", "kdf_iterations"];
const VIEW_COLUMNS = ["views_left", "has_file", "views", "read_times"];

test("sqlite: a database made before client secrets gains their columns on open; its rows read as server secrets", async () => {
  using dir = tempDir("onetime-sqlite-");
  const now = Date.now();
  assert.doesNotMatch(
    schemaWithout([...CLIENT_COLUMNS, ...VIEW_COLUMNS]),
    /encryption|kdf_|views|read_|has_file/,
  );
  oldDatabase(dir.path, [...CLIENT_COLUMNS, ...VIEW_COLUMNS], now, null);
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

test("sqlite: rows made before view limits read as one view, without a file, and their take ends them", async () => {
  using dir = tempDir("onetime-sqlite-");
  const now = Date.now();
  oldDatabase(dir.path, VIEW_COLUMNS, now, null);
  const store = openSqliteStore({ dataDir: dir.path });
  try {
    const header = await store.secrets.peek("s1", now);
    assert.equal(header?.viewsLeft, 1);
    assert.equal(header?.hasFile, false);
    const receipt = await store.secrets.getReceipt("r1", now);
    assert.deepEqual([receipt?.views, receipt?.readTimes, receipt?.hasFile], [1, [], false]);
    assert.equal((await store.secrets.take("s1", now + 1))?.viewsLeft, 0);
    assert.equal(await store.secrets.take("s1", now + 1), null);
    const read = await store.secrets.getReceipt("r1", now + 1);
    assert.deepEqual([read?.state, read?.receivedAt, read?.readTimes], ["received", now + 1, [now + 1]]);
  } finally {
    await store.close();
  }
});

test("sqlite: a receipt received before view limits reads its one read time from received_at", async () => {
  using dir = tempDir("onetime-sqlite-");
  const now = Date.now();
  oldDatabase(dir.path, VIEW_COLUMNS, now, now + 5);
  const store = openSqliteStore({ dataDir: dir.path });
  try {
    const receipt = await store.secrets.getReceipt("r1", now);
    assert.deepEqual([receipt?.state, receipt?.views, receipt?.readTimes], ["received", 1, [now + 5]]);
  } finally {
    await store.close();
  }
});
