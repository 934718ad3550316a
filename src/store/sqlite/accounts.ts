import type { Database } from "better-sqlite3";
import type { AccountRow, AccountStore, CredentialsRow, TicketPurpose } from "../ports/accounts.js";
import { guard } from "./guard.js";
import type { AddedColumn } from "./migrate.js";

// Accounts and web sign-in in SQLite: accounts, their credentials, sessions, and one-time tickets
// (address confirmation, password reset). Taking a ticket is DELETE … RETURNING: one statement, one
// winner. Deleting an account is one IMMEDIATE transaction over every table that holds its rows.

export const ACCOUNTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY, email TEXT NOT NULL, token_hash BLOB, wrapped_list_key BLOB,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS accounts_token ON accounts (token_hash);
CREATE TABLE IF NOT EXISTS credentials (
  account_id TEXT PRIMARY KEY, salt BLOB NOT NULL, verifier BLOB NOT NULL, wrapped_list_key BLOB,
  verified_at INTEGER, locale TEXT, updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, sealed_list_key BLOB, created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_account ON sessions (account_id);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS tickets (
  id TEXT PRIMARY KEY, purpose TEXT NOT NULL, account_id TEXT NOT NULL, expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tickets_expires ON tickets (expires_at);
CREATE INDEX IF NOT EXISTS tickets_account ON tickets (account_id);
`;

/** Columns added after the first release (sqlite/migrate.ts): older rows read them as NULL. */
export const ACCOUNTS_ADDED_COLUMNS: readonly AddedColumn[] = [
  ["accounts", "disabled_at", "INTEGER"],
  // A single sign-on's groups claim, as JSON (issue 19); NULL for a password sign-in.
  ["sessions", "sso_groups", "TEXT"],
];

interface AccountRecord {
  id: string;
  email: string;
  token_hash: Buffer | null;
  wrapped_list_key: Buffer | null;
  created_at: number;
  updated_at: number;
  disabled_at: number | null;
}

interface CredentialsRecord {
  account_id: string;
  salt: Buffer;
  verifier: Buffer;
  wrapped_list_key: Buffer | null;
  verified_at: number | null;
  locale: string | null;
  updated_at: number;
}

interface SessionRecord {
  id: string;
  account_id: string;
  sealed_list_key: Buffer | null;
  created_at: number;
  expires_at: number;
  sso_groups: string | null;
}

/** `eraseOwned` deletes an account's list, receipts and secrets inside the deletion's transaction. */
export function sqliteAccounts(db: Database, eraseOwned: (accountId: string) => void): AccountStore {
  const q = {
    insertAccount: db.prepare(
      `INSERT INTO accounts (id, email, token_hash, wrapped_list_key, created_at, updated_at, disabled_at)
       VALUES (@id, @email, @token_hash, @wrapped_list_key, @created_at, @updated_at, @disabled_at)
       ON CONFLICT (id) DO NOTHING`,
    ),
    getAccount: db.prepare("SELECT * FROM accounts WHERE id = ?"),
    setToken: db.prepare(
      "UPDATE accounts SET token_hash = ?, wrapped_list_key = ?, updated_at = ? WHERE id = ?",
    ),
    accountByToken: db.prepare("SELECT id FROM accounts WHERE token_hash = ?"),
    setDisabled: db.prepare("UPDATE accounts SET disabled_at = ?, updated_at = ? WHERE id = ?"),
    // instr() on lower(email): a plain substring, so % and _ in a search mean themselves.
    findAccounts: db.prepare(
      "SELECT * FROM accounts WHERE instr(lower(email), ?) > 0 ORDER BY email, id LIMIT ?",
    ),
    deleteAccount: db.prepare("DELETE FROM accounts WHERE id = ?"),
    setCredentials: db.prepare(
      `INSERT OR REPLACE INTO credentials (account_id, salt, verifier, wrapped_list_key, verified_at, locale,
         updated_at)
       VALUES (@account_id, @salt, @verifier, @wrapped_list_key, @verified_at, @locale, @updated_at)`,
    ),
    getCredentials: db.prepare("SELECT * FROM credentials WHERE account_id = ?"),
    deleteCredentials: db.prepare("DELETE FROM credentials WHERE account_id = ?"),
    createSession: db.prepare(
      `INSERT INTO sessions (id, account_id, sealed_list_key, created_at, expires_at, sso_groups)
       VALUES (@id, @account_id, @sealed_list_key, @created_at, @expires_at, @sso_groups)`,
    ),
    getSession: db.prepare("SELECT * FROM sessions WHERE id = ? AND expires_at > ?"),
    deleteSession: db.prepare("DELETE FROM sessions WHERE id = ?"),
    deleteSessions: db.prepare("DELETE FROM sessions WHERE account_id = ?"),
    createTicket: db.prepare(
      "INSERT INTO tickets (id, purpose, account_id, expires_at) VALUES (@id, @purpose, @account_id, @expires_at)",
    ),
    takeTicket: db.prepare("DELETE FROM tickets WHERE id = ? RETURNING purpose, account_id, expires_at"),
    deleteTickets: db.prepare("DELETE FROM tickets WHERE account_id = ? AND purpose = ?"),
  };

  // Everything of the account goes, or nothing: a crash or a full disk half-way leaves it whole.
  const remove = db.transaction((id: string): boolean => {
    if (q.getAccount.get(id) === undefined) return false;
    eraseOwned(id);
    q.deleteSessions.run(id);
    q.deleteCredentials.run(id);
    q.deleteAccount.run(id);
    return true;
  });

  return {
    create: async (account) =>
      guard(
        () =>
          q.insertAccount.run({
            id: account.id,
            email: account.email,
            token_hash: account.tokenHash,
            wrapped_list_key: account.wrappedListKey,
            created_at: account.createdAt,
            updated_at: account.updatedAt,
            disabled_at: account.disabledAt,
          }).changes > 0,
      ),
    get: async (id) =>
      guard(() => {
        const r = q.getAccount.get(id) as AccountRecord | undefined;
        return r === undefined ? null : fromRecord(r);
      }),
    setToken: async (id, tokenHash, wrappedListKey, now) =>
      guard(() => q.setToken.run(tokenHash, wrappedListKey, now, id).changes > 0),
    accountByToken: async (tokenHash) =>
      guard(() => (q.accountByToken.get(tokenHash) as { id: string } | undefined)?.id ?? null),
    setDisabled: async (id, disabledAt, now) =>
      guard(() => q.setDisabled.run(disabledAt, now, id).changes > 0),
    findAccounts: async (search, limit) =>
      guard(() => (q.findAccounts.all(search.toLowerCase(), limit) as AccountRecord[]).map(fromRecord)),
    delete: async (id) => guard(() => remove.immediate(id)),

    setCredentials: async (row) =>
      guard(() => {
        q.setCredentials.run({
          account_id: row.accountId,
          salt: row.salt,
          verifier: row.verifier,
          wrapped_list_key: row.wrappedListKey,
          verified_at: row.verifiedAt,
          locale: row.locale,
          updated_at: row.updatedAt,
        });
      }),
    getCredentials: async (accountId) =>
      guard((): CredentialsRow | null => {
        const r = q.getCredentials.get(accountId) as CredentialsRecord | undefined;
        if (r === undefined) return null;
        return {
          accountId: r.account_id,
          salt: r.salt,
          verifier: r.verifier,
          wrappedListKey: r.wrapped_list_key,
          verifiedAt: r.verified_at,
          locale: r.locale,
          updatedAt: r.updated_at,
        };
      }),

    createSession: async (row) =>
      guard(() => {
        q.createSession.run({
          id: row.id,
          account_id: row.accountId,
          sealed_list_key: row.sealedListKey,
          created_at: row.createdAt,
          expires_at: row.expiresAt,
          sso_groups: row.groups === undefined || row.groups.length === 0 ? null : JSON.stringify(row.groups),
        });
      }),
    getSession: async (id, now) =>
      guard(() => {
        const r = q.getSession.get(id, now) as SessionRecord | undefined;
        if (r === undefined) return null;
        return {
          id: r.id,
          accountId: r.account_id,
          sealedListKey: r.sealed_list_key,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
          ...(r.sso_groups === null ? {} : { groups: JSON.parse(r.sso_groups) as string[] }),
        };
      }),
    deleteSession: async (id) => guard(() => void q.deleteSession.run(id)),
    deleteSessions: async (accountId) => guard(() => void q.deleteSessions.run(accountId)),

    createTicket: async (row) =>
      guard(() => {
        q.createTicket.run({
          id: row.id,
          purpose: row.purpose,
          account_id: row.accountId,
          expires_at: row.expiresAt,
        });
      }),
    takeTicket: async (id, now) =>
      guard(() => {
        const r = q.takeTicket.get(id) as
          | { purpose: TicketPurpose; account_id: string; expires_at: number }
          | undefined;
        if (r === undefined || r.expires_at <= now) return null;
        return { id, purpose: r.purpose, accountId: r.account_id, expiresAt: r.expires_at };
      }),
    deleteTickets: async (accountId, purpose) => guard(() => void q.deleteTickets.run(accountId, purpose)),
  };
}

function fromRecord(r: AccountRecord): AccountRow {
  return {
    id: r.id,
    email: r.email,
    tokenHash: r.token_hash,
    wrappedListKey: r.wrapped_list_key,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    disabledAt: r.disabled_at,
  };
}
