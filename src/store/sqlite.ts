import { join } from "node:path";
import { setImmediate as yieldTurn } from "node:timers/promises";
import Database from "better-sqlite3";
import { ACCOUNTS_ADDED_COLUMNS, ACCOUNTS_SCHEMA, sqliteAccounts } from "./sqlite/accounts.js";
import { AUDIT_SCHEMA, sqliteAudit } from "./sqlite/audit.js";
import { createGroupCommit } from "./sqlite/batch.js";
import { startCheckpointer } from "./sqlite/checkpoint.js";
import { COUNTERS_SCHEMA, sqliteCounters } from "./sqlite/counters.js";
import { guard } from "./sqlite/guard.js";
import { addMissingColumns } from "./sqlite/migrate.js";
import { OUTBOX_SCHEMA, sqliteOutbox } from "./sqlite/outbox.js";
import { makePrivateDir, makePrivateFile } from "./sqlite/private-files.js";
import { REQUESTS_SCHEMA, requestsEraser, sqliteRequests } from "./sqlite/requests.js";
import {
  ownedRowsEraser,
  SECRETS_ADDED_COLUMNS,
  SECRETS_LATE_INDEXES,
  SECRETS_SCHEMA,
  sqliteSecrets,
} from "./sqlite/secrets.js";
import { sqliteSize } from "./sqlite/size.js";
import { sqliteWebhooks, WEBHOOKS_SCHEMA } from "./sqlite/webhooks.js";
import type { Store } from "./types.js";

export const SQLITE_STORE = "sqlite";
export const DATABASE_FILE = "onetime.db";
/** Rows per table in one sweep transaction: a few ms of event loop at most. */
const PURGE_CHUNK_ROWS = 128;

/** Every table with an expires_at column, by primary key: what the sweep deletes. */
const EXPIRING_TABLES = [
  ["secrets", "id"],
  ["receipts", "id"],
  ["account_receipts", "account_id, receipt_id"],
  ["counters", "key"],
  ["mail", "id"],
  ["sessions", "id"],
  ["tickets", "id"],
  ["audit", "id"],
  ["requests", "id"],
  ["request_answers", "request_id, seq"],
  ["webhook_deliveries", "id"],
] as const;

/**
 * SQLite's `synchronous` for the server's connection. `full`: a commit (a take included) is fsynced
 * before anyone hears it is done, so it survives a power loss or an OS crash. `normal`: in WAL mode a
 * commit reaches the OS but is fsynced only at the next checkpoint; a process crash loses nothing,
 * a power loss can undo the last commits, and an undone take means a read secret readable again.
 */
export type SqliteSynchronous = "full" | "normal";

export interface SqliteOptions {
  dataDir: string;
  /** Default `full`: see SqliteSynchronous. */
  synchronous?: SqliteSynchronous;
  /** How long a writer waits for another process's lock before giving up (ms). */
  busyTimeoutMs?: number;
}

/** The SQLite store, with the `synchronous` its connection runs with, as SQLite reports it. */
export interface SqliteStore extends Store {
  readonly synchronous: SqliteSynchronous;
}

export function openSqliteStore({
  dataDir,
  synchronous = "full",
  busyTimeoutMs = 5000,
}: SqliteOptions): SqliteStore {
  makePrivateDir(dataDir);
  const file = join(dataDir, DATABASE_FILE);
  makePrivateFile(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(`synchronous = ${synchronous === "full" ? "FULL" : "NORMAL"}`);
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  // Deleted ciphertext is overwritten on disk rather than left in free pages.
  db.pragma("secure_delete = ON");
  for (const schema of [
    SECRETS_SCHEMA,
    ACCOUNTS_SCHEMA,
    COUNTERS_SCHEMA,
    OUTBOX_SCHEMA,
    AUDIT_SCHEMA,
    REQUESTS_SCHEMA,
    WEBHOOKS_SCHEMA,
  ])
    db.exec(schema);
  addMissingColumns(db, [...SECRETS_ADDED_COLUMNS, ...ACCOUNTS_ADDED_COLUMNS]);
  db.exec(SECRETS_LATE_INDEXES);
  // After a burst the WAL file is cut back to 64 MiB once it has been checkpointed.
  db.pragma("journal_size_limit = 67108864");
  const checkpointer = startCheckpointer(db, file);
  const write = createGroupCommit(db);

  // At most `limit` rows per table per call, found through the expiry indexes.
  const purges = EXPIRING_TABLES.map(([table, key]) =>
    db.prepare(
      `DELETE FROM ${table} WHERE (${key}) IN (SELECT ${key} FROM ${table} WHERE expires_at <= ? LIMIT ?)`,
    ),
  );
  const purgeChunk = db.transaction((now: number, limit: number) => {
    const counts = purges.map((purge) => purge.run(now, limit).changes);
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
      if (!chunk.more) return purged;
      await yieldTurn();
    }
  }

  const eraseReceipts = ownedRowsEraser(db);
  const eraseRequests = requestsEraser(db);
  const eraseOwned = (accountId: string) => {
    eraseReceipts(accountId);
    eraseRequests(accountId);
  };

  return {
    name: SQLITE_STORE,
    expiresNatively: false,
    synchronous: db.pragma("synchronous", { simple: true }) === 2 ? "full" : "normal",
    secrets: sqliteSecrets(db, write),
    accounts: sqliteAccounts(db, eraseOwned),
    counters: sqliteCounters(db, write),
    outbox: sqliteOutbox(db),
    audit: sqliteAudit(db, write),
    requests: sqliteRequests(db, write),
    webhooks: sqliteWebhooks(db),
    size: sqliteSize(db),
    purgeExpired,
    ping: async () => guard(() => void db.prepare("SELECT 1").get()),
    close: async () => {
      await checkpointer.stop();
      if (db.open) db.close();
    },
  };
}
