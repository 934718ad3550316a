import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { setImmediate as yieldTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import { StoreUnavailableError } from "../domain/errors.js";
import { sqliteAuth } from "./sqlite-auth.js";
import { createGroupCommit } from "./sqlite-batch.js";
import { startCheckpointer } from "./sqlite-checkpoint.js";
import { sqliteMail } from "./sqlite-mail.js";
import {
  fromReceiptRecord,
  fromSecretHeader,
  fromSecretRecord,
  type ReceiptRecord,
  receiptRecord,
  type SecretRecord,
  secretRecord,
} from "./sqlite-records.js";
import type { OwnedReceipt, OwnerEntry, ReceiptRow, ReceiptState, SecretRow, Store } from "./types.js";

export const SQLITE_STORE = "sqlite";
export const DATABASE_FILE = "onetime.db";
/** Rows per table in one sweep transaction: a few ms of event loop at most. */
const PURGE_CHUNK_ROWS = 128;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS secrets (
  id TEXT PRIMARY KEY, receipt_id TEXT NOT NULL, ciphertext BLOB NOT NULL, verifier BLOB NOT NULL,
  passphrase_salt BLOB, share_domain TEXT NOT NULL, created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS secrets_expires ON secrets (expires_at);
CREATE TABLE IF NOT EXISTS receipts (
  id TEXT PRIMARY KEY, secret_id TEXT NOT NULL, sealed_secret_key BLOB NOT NULL, owner TEXT,
  state TEXT NOT NULL, kind TEXT NOT NULL, has_passphrase INTEGER NOT NULL, ttl INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, secret_expires_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, received_at INTEGER, burned_at INTEGER, recipients TEXT NOT NULL,
  share_domain TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS receipts_expires ON receipts (expires_at);
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, email TEXT NOT NULL, token_hash BLOB, wrapped_list_key BLOB,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS account_receipts (
  account_id TEXT NOT NULL, receipt_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, sealed_metadata_key BLOB NOT NULL, PRIMARY KEY (account_id, receipt_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS account_receipts_created ON account_receipts (account_id, created_at);
CREATE INDEX IF NOT EXISTS account_receipts_expires ON account_receipts (expires_at);
CREATE TABLE IF NOT EXISTS counters (
  key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counters_expires ON counters (expires_at);
`;

export interface SqliteOptions {
  dataDir: string;
  /** How long a writer waits for another process's lock before giving up (ms). */
  busyTimeoutMs?: number;
}

export function openSqliteStore({ dataDir, busyTimeoutMs = 5000 }: SqliteOptions): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, DATABASE_FILE);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // Deleted ciphertext is overwritten on disk rather than left in free pages.
  db.pragma("secure_delete = ON");
  db.exec(SCHEMA);
  // After a burst the WAL file is cut back to 64 MiB once it has been checkpointed.
  db.pragma("journal_size_limit = 67108864");
  const checkpointer = startCheckpointer(db, file);
  const mail = sqliteMail(db);
  const auth = sqliteAuth(db);

  const q = {
    insertSecret: db.prepare(
      `INSERT INTO secrets (id, receipt_id, ciphertext, verifier, passphrase_salt, share_domain, created_at,
         expires_at)
       VALUES (@id, @receipt_id, @ciphertext, @verifier, @passphrase_salt, @share_domain, @created_at,
         @expires_at)`,
    ),
    insertReceipt: db.prepare(
      `INSERT INTO receipts (id, secret_id, sealed_secret_key, owner, state, kind, has_passphrase, ttl,
         created_at, updated_at, secret_expires_at, expires_at, received_at, burned_at, recipients, share_domain)
       VALUES (@id, @secret_id, @sealed_secret_key, @owner, @state, @kind, @has_passphrase, @ttl,
         @created_at, @updated_at, @secret_expires_at, @expires_at, @received_at, @burned_at, @recipients,
         @share_domain)`,
    ),
    insertOwned: db.prepare(
      `INSERT INTO account_receipts (account_id, receipt_id, created_at, expires_at, sealed_metadata_key)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    peekSecret: db.prepare(
      `SELECT id, receipt_id, verifier, passphrase_salt, share_domain, created_at, expires_at
       FROM secrets WHERE id = ? AND expires_at > ?`,
    ),
    deleteSecret: db.prepare("DELETE FROM secrets WHERE id = ? AND expires_at > ? RETURNING *"),
    markReceived: db.prepare(
      `UPDATE receipts SET state = 'received', received_at = @now, updated_at = @now
       WHERE id = @id AND state IN ('new', 'viewed')`,
    ),
    getReceipt: db.prepare("SELECT * FROM receipts WHERE id = ? AND expires_at > ?"),
    // Only a live receipt moves, whatever `from` lists: terminal states never change again.
    transition: db.prepare(
      `UPDATE receipts SET state = @to, updated_at = @now
       WHERE id = @id AND expires_at > @now AND state IN ('new', 'viewed')
         AND state IN (SELECT value FROM json_each(@from))`,
    ),
    liveReceipt: db.prepare(
      "SELECT * FROM receipts WHERE id = ? AND expires_at > ? AND state IN ('new', 'viewed')",
    ),
    markBurned: db.prepare(
      `UPDATE receipts SET state = 'burned', burned_at = @now, updated_at = @now WHERE id = @id RETURNING *`,
    ),
    listOwned: db.prepare(
      `SELECT r.*, o.sealed_metadata_key FROM account_receipts o JOIN receipts r ON r.id = o.receipt_id
       WHERE o.account_id = ? AND o.created_at >= ? AND r.expires_at > ?
       ORDER BY o.created_at DESC, o.receipt_id`,
    ),
    insertAccount: db.prepare(
      `INSERT INTO accounts (id, email, token_hash, wrapped_list_key, created_at, updated_at)
       VALUES (@id, @email, @token_hash, @wrapped_list_key, @created_at, @updated_at) ON CONFLICT (id) DO NOTHING`,
    ),
    getAccount: db.prepare("SELECT * FROM accounts WHERE id = ?"),
    setToken: db.prepare(
      "UPDATE accounts SET token_hash = ?, wrapped_list_key = ?, updated_at = ? WHERE id = ?",
    ),
    ownedReceiptIds: db.prepare("SELECT receipt_id FROM account_receipts WHERE account_id = ?"),
    deleteReceiptAndSecret: db.prepare(
      "DELETE FROM secrets WHERE id = (SELECT secret_id FROM receipts WHERE id = ?)",
    ),
    deleteReceipt: db.prepare("DELETE FROM receipts WHERE id = ?"),
    deleteOwned: db.prepare("DELETE FROM account_receipts WHERE account_id = ?"),
    deleteAccount: db.prepare("DELETE FROM accounts WHERE id = ?"),
    hit: db.prepare(
      `INSERT INTO counters (key, count, expires_at) VALUES (@key, 1, @expires)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN counters.expires_at <= @now THEN 1 ELSE counters.count + 1 END,
         expires_at = CASE WHEN counters.expires_at <= @now THEN @expires ELSE counters.expires_at END
       RETURNING count`,
    ),
    peekCount: db.prepare("SELECT count FROM counters WHERE key = ? AND expires_at > ?"),
    clearCount: db.prepare("DELETE FROM counters WHERE key = ?"),
    // At most `limit` rows per table per call (see purgeExpired), found through the expiry indexes.
    purgeSecrets: db.prepare(
      "DELETE FROM secrets WHERE id IN (SELECT id FROM secrets WHERE expires_at <= ? LIMIT ?)",
    ),
    purgeReceipts: db.prepare(
      "DELETE FROM receipts WHERE id IN (SELECT id FROM receipts WHERE expires_at <= ? LIMIT ?)",
    ),
    purgeOwned: db.prepare(
      `DELETE FROM account_receipts WHERE (account_id, receipt_id) IN
         (SELECT account_id, receipt_id FROM account_receipts WHERE expires_at <= ? LIMIT ?)`,
    ),
    purgeCounters: db.prepare(
      "DELETE FROM counters WHERE key IN (SELECT key FROM counters WHERE expires_at <= ? LIMIT ?)",
    ),
  };

  const create = db.transaction((secret: SecretRow, receipt: ReceiptRow, owner: OwnerEntry | null) => {
    q.insertSecret.run(secretRecord(secret));
    q.insertReceipt.run(receiptRecord(receipt));
    if (owner !== null) {
      q.insertOwned.run(
        owner.accountId,
        receipt.id,
        receipt.createdAt,
        receipt.expiresAt,
        owner.sealedMetadataKey,
      );
    }
  });

  // The take: DELETE … RETURNING hands the row to exactly one connection, and the receipt moves to
  // `received` in the same IMMEDIATE transaction, so no reader can see one change without the other.
  const take = db.transaction((id: string, now: number): SecretRow | null => {
    const row = q.deleteSecret.get(id, now) as SecretRecord | undefined;
    if (row === undefined) return null;
    q.markReceived.run({ id: row.receipt_id, now });
    return fromSecretRecord(row);
  });

  // The burn: only a live receipt whose secret still exists can be burned; the secret's deletion
  // and the receipt's state change are one transaction, so a racing take and burn have one winner.
  const burn = db.transaction((receiptId: string, now: number): ReceiptRow | null => {
    const receipt = q.liveReceipt.get(receiptId, now) as ReceiptRecord | undefined;
    if (receipt === undefined) return null;
    if (q.deleteSecret.get(receipt.secret_id, now) === undefined) return null;
    return fromReceiptRecord(q.markBurned.get({ id: receiptId, now }) as ReceiptRecord);
  });

  const transition = db.transaction(
    (id: string, from: readonly ReceiptState[], to: ReceiptState, now: number): ReceiptRow | null => {
      q.transition.run({ id, from: JSON.stringify(from), to, now });
      const row = q.getReceipt.get(id, now) as ReceiptRecord | undefined;
      return row === undefined ? null : fromReceiptRecord(row);
    },
  );

  const deleteAccount = db.transaction((id: string): boolean => {
    const owned = q.ownedReceiptIds.all(id) as { receipt_id: string }[];
    for (const { receipt_id } of owned) {
      q.deleteReceiptAndSecret.run(receipt_id);
      q.deleteReceipt.run(receipt_id);
    }
    q.deleteOwned.run(id);
    return q.deleteAccount.run(id).changes > 0;
  });

  const hit = db.transaction(
    (key: string, windowMs: number, now: number) =>
      (q.hit.get({ key, now, expires: now + windowMs }) as { count: number }).count,
  );
  const write = createGroupCommit(db);

  const purgeChunk = db.transaction((now: number, limit: number) => {
    const counts = [
      q.purgeSecrets.run(now, limit).changes,
      q.purgeReceipts.run(now, limit).changes,
      q.purgeOwned.run(now, limit).changes,
      q.purgeCounters.run(now, limit).changes,
    ];
    return { purged: counts.reduce((a, b) => a + b, 0), more: counts.some((n) => n === limit) };
  });

  // The sweep deletes in chunks and lets the event loop run between them: 100,000 secrets expiring
  // together (200,000 rows with their receipts, each overwritten by secure_delete) held every
  // request for 2.8 s in one transaction; a chunk holds the loop for a few ms (bench --scale).
  async function purgeExpired(now: number): Promise<number> {
    let purged = 0;
    for (;;) {
      const chunk = guard(() => purgeChunk.immediate(now, PURGE_CHUNK_ROWS));
      purged += chunk.purged;
      if (!chunk.more) break;
      await yieldTurn();
    }
    return purged + guard(() => mail.purge(now));
  }

  return {
    name: SQLITE_STORE,
    expiresNatively: false,
    createSecret: (secret, receipt, owner) => guarded(write(() => create.immediate(secret, receipt, owner))),
    peekSecret: async (id, now) =>
      guard(() => {
        const row = q.peekSecret.get(id, now) as Omit<SecretRecord, "ciphertext"> | undefined;
        return row === undefined ? null : fromSecretHeader(row);
      }),
    takeSecret: (id, now) => guarded(write(() => take.immediate(id, now))),
    getReceipt: async (id, now) =>
      guard(() => {
        const row = q.getReceipt.get(id, now) as ReceiptRecord | undefined;
        return row === undefined ? null : fromReceiptRecord(row);
      }),
    transitionReceipt: (id, from, to, now) => guarded(write(() => transition.immediate(id, from, to, now))),
    burn: (receiptId, now) => guarded(write(() => burn.immediate(receiptId, now))),
    listReceipts: async (accountId, since, now) =>
      guard(() =>
        (q.listOwned.all(accountId, since, now) as (ReceiptRecord & { sealed_metadata_key: Buffer })[]).map(
          (row): OwnedReceipt => ({
            receipt: fromReceiptRecord(row),
            sealedMetadataKey: row.sealed_metadata_key,
          }),
        ),
      ),
    createAccount: async (account) =>
      guard(
        () =>
          q.insertAccount.run({
            id: account.id,
            email: account.email,
            token_hash: account.tokenHash,
            wrapped_list_key: account.wrappedListKey,
            created_at: account.createdAt,
            updated_at: account.updatedAt,
          }).changes > 0,
      ),
    getAccount: async (id) =>
      guard(() => {
        const row = q.getAccount.get(id) as
          | {
              id: string;
              email: string;
              token_hash: Buffer | null;
              wrapped_list_key: Buffer | null;
              created_at: number;
              updated_at: number;
            }
          | undefined;
        if (row === undefined) return null;
        return {
          id: row.id,
          email: row.email,
          tokenHash: row.token_hash,
          wrappedListKey: row.wrapped_list_key,
          createdAt: row.created_at,
          updatedAt: row.updated_at,
        };
      }),
    setAccountToken: async (id, tokenHash, wrappedListKey, now) =>
      guard(() => q.setToken.run(tokenHash, wrappedListKey, now, id).changes > 0),
    deleteAccount: async (id) => guard(() => deleteAccount.immediate(id)),
    hit: (key, windowMs, now) => guarded(write(() => hit.immediate(key, windowMs, now))),
    peekCount: async (key, now) =>
      guard(() => (q.peekCount.get(key, now) as { count: number } | undefined)?.count ?? 0),
    clearCount: async (key) => guard(() => void q.clearCount.run(key)),
    setCredentials: async (row) => guard(() => auth.setCredentials(row)),
    getCredentials: async (accountId) => guard(() => auth.getCredentials(accountId)),
    deleteCredentials: async (accountId) => guard(() => auth.deleteCredentials(accountId)),
    createSession: async (row) => guard(() => auth.createSession(row)),
    getSession: async (id, now) => guard(() => auth.getSession(id, now)),
    deleteSession: async (id) => guard(() => auth.deleteSession(id)),
    deleteSessions: async (accountId) => guard(() => auth.deleteSessions(accountId)),
    createTicket: async (row) => guard(() => auth.createTicket(row)),
    takeTicket: async (id, now) => guard(() => auth.takeTicket(id, now)),
    enqueueMail: async (row) => guard(() => mail.enqueue(row)),
    claimMail: async (now, leaseMs) => guard(() => mail.claim(now, leaseMs)),
    settleMail: async (id, outcome, now) => guard(() => mail.settle(id, outcome, now)),
    mailStatus: async (receiptId, now) => guard(() => mail.status(receiptId, now)),
    purgeExpired,
    ping: async () => guard(() => void db.prepare("SELECT 1").get()),
    close: async () => {
      await checkpointer.stop();
      if (db.open) db.close();
    },
  };
}

/** Backend failures (locked too long, disk errors, closed handle) become StoreUnavailableError. */
function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new StoreUnavailableError(err);
  }
}

async function guarded<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (err) {
    throw new StoreUnavailableError(err);
  }
}
