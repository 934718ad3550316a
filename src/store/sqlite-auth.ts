import type { Database } from "better-sqlite3";
import type { CredentialsRow, SessionRow, TicketPurpose, TicketRow } from "./types.js";

// Web sign-in in SQLite: credentials per account, sessions, and one-time tickets (address
// confirmation, password reset). Taking a ticket is DELETE … RETURNING: one statement, one winner.

const SCHEMA = `
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
`;

interface CredentialsRecord {
  account_id: string;
  salt: Buffer;
  verifier: Buffer;
  wrapped_list_key: Buffer | null;
  verified_at: number | null;
  locale: string | null;
  updated_at: number;
}

export function sqliteAuth(db: Database) {
  db.exec(SCHEMA);
  const q = {
    setCredentials: db.prepare(
      `INSERT OR REPLACE INTO credentials (account_id, salt, verifier, wrapped_list_key, verified_at, locale,
         updated_at)
       VALUES (@account_id, @salt, @verifier, @wrapped_list_key, @verified_at, @locale, @updated_at)`,
    ),
    getCredentials: db.prepare("SELECT * FROM credentials WHERE account_id = ?"),
    deleteCredentials: db.prepare("DELETE FROM credentials WHERE account_id = ?"),
    createSession: db.prepare(
      `INSERT INTO sessions (id, account_id, sealed_list_key, created_at, expires_at)
       VALUES (@id, @account_id, @sealed_list_key, @created_at, @expires_at)`,
    ),
    getSession: db.prepare("SELECT * FROM sessions WHERE id = ? AND expires_at > ?"),
    deleteSession: db.prepare("DELETE FROM sessions WHERE id = ?"),
    deleteSessions: db.prepare("DELETE FROM sessions WHERE account_id = ?"),
    createTicket: db.prepare(
      "INSERT INTO tickets (id, purpose, account_id, expires_at) VALUES (@id, @purpose, @account_id, @expires_at)",
    ),
    takeTicket: db.prepare("DELETE FROM tickets WHERE id = ? RETURNING purpose, account_id, expires_at"),
    purgeSessions: db.prepare("DELETE FROM sessions WHERE expires_at <= ?"),
    purgeTickets: db.prepare("DELETE FROM tickets WHERE expires_at <= ?"),
  };

  return {
    setCredentials(row: CredentialsRow): void {
      q.setCredentials.run({
        account_id: row.accountId,
        salt: row.salt,
        verifier: row.verifier,
        wrapped_list_key: row.wrappedListKey,
        verified_at: row.verifiedAt,
        locale: row.locale,
        updated_at: row.updatedAt,
      });
    },
    getCredentials(accountId: string): CredentialsRow | null {
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
    },
    deleteCredentials: (accountId: string) => void q.deleteCredentials.run(accountId),
    createSession(row: SessionRow): void {
      q.createSession.run({
        id: row.id,
        account_id: row.accountId,
        sealed_list_key: row.sealedListKey,
        created_at: row.createdAt,
        expires_at: row.expiresAt,
      });
    },
    getSession(id: string, now: number): SessionRow | null {
      const r = q.getSession.get(id, now) as
        | {
            id: string;
            account_id: string;
            sealed_list_key: Buffer | null;
            created_at: number;
            expires_at: number;
          }
        | undefined;
      return r === undefined
        ? null
        : {
            id: r.id,
            accountId: r.account_id,
            sealedListKey: r.sealed_list_key,
            createdAt: r.created_at,
            expiresAt: r.expires_at,
          };
    },
    deleteSession: (id: string) => void q.deleteSession.run(id),
    deleteSessions: (accountId: string) => void q.deleteSessions.run(accountId),
    createTicket(row: TicketRow): void {
      q.createTicket.run({
        id: row.id,
        purpose: row.purpose,
        account_id: row.accountId,
        expires_at: row.expiresAt,
      });
    },
    takeTicket(id: string, now: number): TicketRow | null {
      const r = q.takeTicket.get(id) as
        | { purpose: TicketPurpose; account_id: string; expires_at: number }
        | undefined;
      if (r === undefined || r.expires_at <= now) return null;
      return { id, purpose: r.purpose, accountId: r.account_id, expiresAt: r.expires_at };
    },
    purge: (now: number): number => q.purgeSessions.run(now).changes + q.purgeTickets.run(now).changes,
  };
}
