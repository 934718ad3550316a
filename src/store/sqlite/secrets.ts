import type { Database } from "better-sqlite3";
import type {
  OwnedReceipt,
  OwnerEntry,
  ReceiptRow,
  ReceiptState,
  SecretRow,
  SecretStore,
} from "../ports/secrets.js";
import type { GroupWrite } from "./batch.js";
import { guard, guarded } from "./guard.js";
import {
  fromReceiptRecord,
  fromSecretHeader,
  fromSecretRecord,
  type ReceiptRecord,
  receiptRecord,
  type SecretRecord,
  secretRecord,
} from "./records.js";

// Secrets, their receipts and the accounts' lists in SQLite. Every change to more than one row is one
// IMMEDIATE transaction, run through the group commit (batch.ts).

export const SECRETS_SCHEMA = `
CREATE TABLE IF NOT EXISTS secrets (
  id TEXT PRIMARY KEY, receipt_id TEXT NOT NULL, ciphertext BLOB NOT NULL, verifier BLOB NOT NULL,
  passphrase_salt BLOB, share_domain TEXT NOT NULL, created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, encryption TEXT, kdf_salt BLOB, kdf_iterations INTEGER, views_left INTEGER,
  has_file INTEGER, notify_read INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS secrets_expires ON secrets (expires_at);
CREATE TABLE IF NOT EXISTS receipts (
  id TEXT PRIMARY KEY, secret_id TEXT NOT NULL, sealed_secret_key BLOB NOT NULL, owner TEXT,
  state TEXT NOT NULL, kind TEXT NOT NULL, has_passphrase INTEGER NOT NULL, ttl INTEGER NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, secret_expires_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, received_at INTEGER, burned_at INTEGER, recipients TEXT NOT NULL,
  share_domain TEXT NOT NULL, encryption TEXT, views INTEGER, read_times TEXT, has_file INTEGER,
  notify TEXT, expiry_notice_at INTEGER, webhooks INTEGER
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS receipts_expires ON receipts (expires_at);
CREATE TABLE IF NOT EXISTS account_receipts (
  account_id TEXT NOT NULL, receipt_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, sealed_metadata_key BLOB NOT NULL, PRIMARY KEY (account_id, receipt_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS account_receipts_created ON account_receipts (account_id, created_at);
CREATE INDEX IF NOT EXISTS account_receipts_expires ON account_receipts (expires_at);
`;

/** Indexes on added columns: made after them (an older database gains the columns on open first). */
export const SECRETS_LATE_INDEXES = `
CREATE INDEX IF NOT EXISTS receipts_expiry_notice ON receipts (expiry_notice_at) WHERE expiry_notice_at IS NOT NULL;
`;

/**
 * Columns added since the first schema: a database made before them gains them on open (nullable,
 * so existing rows read as before: NULL encryption is `server`, NULL views or views_left is 1, NULL
 * has_file is no file, NULL read_times is the received_at if any, NULL notify and notify_read ask for
 * no notice, NULL webhooks has none: records.ts).
 */
export const SECRETS_ADDED_COLUMNS = [
  ["secrets", "encryption", "TEXT"],
  ["secrets", "kdf_salt", "BLOB"],
  ["secrets", "kdf_iterations", "INTEGER"],
  ["receipts", "encryption", "TEXT"],
  ["secrets", "views_left", "INTEGER"],
  ["secrets", "has_file", "INTEGER"],
  ["receipts", "views", "INTEGER"],
  ["receipts", "read_times", "TEXT"],
  ["receipts", "has_file", "INTEGER"],
  ["secrets", "notify_read", "INTEGER"],
  ["receipts", "notify", "TEXT"],
  ["receipts", "expiry_notice_at", "INTEGER"],
  ["receipts", "webhooks", "INTEGER"],
] as const;

export function sqliteSecrets(db: Database, write: GroupWrite): SecretStore {
  const q = {
    insertSecret: db.prepare(
      `INSERT INTO secrets (id, receipt_id, ciphertext, verifier, passphrase_salt, share_domain, created_at,
         expires_at, encryption, kdf_salt, kdf_iterations, views_left, has_file, notify_read)
       VALUES (@id, @receipt_id, @ciphertext, @verifier, @passphrase_salt, @share_domain, @created_at,
         @expires_at, @encryption, @kdf_salt, @kdf_iterations, @views_left, @has_file, @notify_read)`,
    ),
    insertReceipt: db.prepare(
      `INSERT INTO receipts (id, secret_id, sealed_secret_key, owner, state, kind, has_passphrase, ttl,
         created_at, updated_at, secret_expires_at, expires_at, received_at, burned_at, recipients, share_domain,
         encryption, views, read_times, has_file, notify, expiry_notice_at, webhooks)
       VALUES (@id, @secret_id, @sealed_secret_key, @owner, @state, @kind, @has_passphrase, @ttl,
         @created_at, @updated_at, @secret_expires_at, @expires_at, @received_at, @burned_at, @recipients,
         @share_domain, @encryption, @views, @read_times, @has_file, @notify, @expiry_notice_at, @webhooks)`,
    ),
    insertOwned: db.prepare(
      `INSERT INTO account_receipts (account_id, receipt_id, created_at, expires_at, sealed_metadata_key)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    peekSecret: db.prepare(
      `SELECT id, receipt_id, verifier, passphrase_salt, share_domain, created_at, expires_at, encryption,
         kdf_salt, kdf_iterations, views_left, has_file, notify_read
       FROM secrets WHERE id = ? AND expires_at > ?`,
    ),
    liveSecret: db.prepare("SELECT * FROM secrets WHERE id = ? AND expires_at > ?"),
    deleteSecret: db.prepare("DELETE FROM secrets WHERE id = ? AND expires_at > ? RETURNING *"),
    spendView: db.prepare("UPDATE secrets SET views_left = ? WHERE id = ?"),
    // A live receipt records each read; the last one also makes it received. NULL read_times on a
    // live receipt is a row made before view limits: no read yet.
    markRead: db.prepare(
      `UPDATE receipts SET read_times = json_insert(COALESCE(read_times, '[]'), '$[#]', @now), updated_at = @now,
         state = CASE WHEN @last THEN 'received' ELSE state END,
         received_at = CASE WHEN @last THEN @now ELSE received_at END,
         expiry_notice_at = CASE WHEN @last THEN NULL ELSE expiry_notice_at END
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
      `UPDATE receipts SET state = 'burned', burned_at = @now, updated_at = @now, expiry_notice_at = NULL
       WHERE id = @id RETURNING *`,
    ),
    // One statement claims the due expiry notices and expires the live receipts among them: of
    // racing sweeps (several processes share the file), each row goes to the one that updates it.
    claimExpiry: db.prepare(
      `UPDATE receipts SET expiry_notice_at = NULL,
         updated_at = CASE WHEN state IN ('new', 'viewed') THEN @now ELSE updated_at END,
         state = CASE WHEN state IN ('new', 'viewed') THEN 'expired' ELSE state END
       WHERE id IN (SELECT id FROM receipts WHERE expiry_notice_at IS NOT NULL AND expiry_notice_at <= @now
         AND expires_at > @now AND state IN ('new', 'viewed', 'expired') LIMIT @limit)
       RETURNING *`,
    ),
    reseal: db.prepare(
      "UPDATE account_receipts SET sealed_metadata_key = ? WHERE account_id = ? AND receipt_id = ?",
    ),
    listOwned: db.prepare(
      `SELECT r.*, o.sealed_metadata_key FROM account_receipts o JOIN receipts r ON r.id = o.receipt_id
       WHERE o.account_id = ? AND o.created_at >= ? AND r.expires_at > ?
       ORDER BY o.created_at DESC, o.receipt_id`,
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

  // The take: one IMMEDIATE transaction (a write lock across connections and processes) reads the
  // row, spends one view (deleting the row on the last) and records the read on the receipt, which
  // moves to `received` on the last view: no reader can see one change without the other.
  const take = db.transaction((id: string, now: number): SecretRow | null => {
    const row = q.liveSecret.get(id, now) as SecretRecord | undefined;
    if (row === undefined) return null;
    const secret = fromSecretRecord(row);
    const left = secret.viewsLeft - 1;
    if (left > 0) q.spendView.run(left, id);
    else q.deleteSecret.run(id, now);
    q.markRead.run({ id: row.receipt_id, now, last: left > 0 ? 0 : 1 });
    return { ...secret, viewsLeft: left };
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

  const claimExpiry = db.transaction((now: number, limit: number): ReceiptRow[] =>
    (q.claimExpiry.all({ now, limit }) as ReceiptRecord[]).map((row) => fromReceiptRecord(row)),
  );

  const reseal = db.transaction(
    (accountId: string, entries: { receiptId: string; sealedMetadataKey: Buffer }[]) => {
      for (const e of entries) q.reseal.run(e.sealedMetadataKey, accountId, e.receiptId);
    },
  );

  return {
    create: (secret, receipt, owner) => guarded(write(() => create.immediate(secret, receipt, owner))),
    peek: async (id, now) =>
      guard(() => {
        const row = q.peekSecret.get(id, now) as Omit<SecretRecord, "ciphertext"> | undefined;
        return row === undefined ? null : fromSecretHeader(row);
      }),
    take: (id, now) => guarded(write(() => take.immediate(id, now))),
    getReceipt: async (id, now) =>
      guard(() => {
        const row = q.getReceipt.get(id, now) as ReceiptRecord | undefined;
        return row === undefined ? null : fromReceiptRecord(row);
      }),
    transitionReceipt: (id, from, to, now) => guarded(write(() => transition.immediate(id, from, to, now))),
    burn: (receiptId, now) => guarded(write(() => burn.immediate(receiptId, now))),
    claimExpiryNotices: (now, limit) => guarded(write(() => claimExpiry.immediate(now, limit))),
    resealList: (accountId, entries) => guarded(write(() => void reseal.immediate(accountId, entries))),
    listReceipts: async (accountId, since, now) =>
      guard(() =>
        (q.listOwned.all(accountId, since, now) as (ReceiptRecord & { sealed_metadata_key: Buffer })[]).map(
          (row): OwnedReceipt => ({
            receipt: fromReceiptRecord(row),
            sealedMetadataKey: row.sealed_metadata_key,
          }),
        ),
      ),
  };
}

/**
 * Returns a function that deletes an account's list with the receipts on it and their secrets. It
 * writes only inside the caller's transaction (see accounts.ts: an account's deletion is one).
 */
export function ownedRowsEraser(db: Database): (accountId: string) => void {
  const q = {
    secrets: db.prepare(
      `DELETE FROM secrets WHERE id IN (SELECT r.secret_id FROM receipts r
         JOIN account_receipts o ON r.id = o.receipt_id WHERE o.account_id = ?)`,
    ),
    receipts: db.prepare(
      "DELETE FROM receipts WHERE id IN (SELECT receipt_id FROM account_receipts WHERE account_id = ?)",
    ),
    list: db.prepare("DELETE FROM account_receipts WHERE account_id = ?"),
  };
  return (accountId) => {
    if (!db.inTransaction) throw new Error("ownedRowsEraser runs inside a transaction");
    q.secrets.run(accountId);
    q.receipts.run(accountId);
    q.list.run(accountId);
  };
}
