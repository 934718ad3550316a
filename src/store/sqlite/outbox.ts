import type { Database } from "better-sqlite3";
import type { MailRow, MailState, MailStatus, MailSummary, Outbox } from "../ports/outbox.js";
import { guard } from "./guard.js";

// The outbox in SQLite. A claim is one IMMEDIATE transaction: pick the queued mail due soonest and
// push its due time to the end of the claimer's lease, so no other process can pick it meanwhile.

export const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS mail (
  id TEXT PRIMARY KEY, receipt_id TEXT, sealed BLOB NOT NULL, state TEXT NOT NULL,
  attempts INTEGER NOT NULL, due_at INTEGER NOT NULL, last_error TEXT, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mail_due ON mail (state, due_at);
CREATE INDEX IF NOT EXISTS mail_receipt ON mail (receipt_id);
CREATE INDEX IF NOT EXISTS mail_expires ON mail (expires_at);
`;

interface MailRecord {
  id: string;
  receipt_id: string | null;
  sealed: Buffer;
  state: MailState;
  attempts: number;
  due_at: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

const EMPTY = Buffer.alloc(0);

export function sqliteOutbox(db: Database): Outbox {
  const q = {
    insert: db.prepare(
      `INSERT INTO mail (id, receipt_id, sealed, state, attempts, due_at, last_error, created_at, updated_at,
         expires_at)
       VALUES (@id, @receipt_id, @sealed, @state, @attempts, @due_at, @last_error, @created_at, @updated_at,
         @expires_at)`,
    ),
    due: db.prepare(
      `SELECT * FROM mail WHERE state = 'queued' AND due_at <= ? AND expires_at > ? ORDER BY due_at LIMIT 1`,
    ),
    lease: db.prepare("UPDATE mail SET due_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?"),
    settle: db.prepare(
      `UPDATE mail SET state = @state, due_at = @due_at, last_error = @last_error, updated_at = @now,
         sealed = CASE WHEN @state = 'queued' THEN sealed ELSE @empty END
       WHERE id = @id`,
    ),
    status: db.prepare(
      `SELECT state, attempts, last_error, updated_at FROM mail WHERE receipt_id = ? AND expires_at > ?
       ORDER BY created_at DESC LIMIT 1`,
    ),
    list: db.prepare(
      `SELECT id, receipt_id, state, attempts, due_at, last_error, created_at, updated_at, expires_at
       FROM mail WHERE state = ? AND expires_at > ? ORDER BY updated_at DESC, id LIMIT ?`,
    ),
    retryNow: db.prepare(
      `UPDATE mail SET due_at = @now WHERE id = @id AND state = 'queued' AND updated_at + @lease <= @now
         AND expires_at > @now`,
    ),
  };

  const claim = db.transaction((now: number, leaseMs: number): MailRow | null => {
    const row = q.due.get(now, now) as MailRecord | undefined;
    if (row === undefined) return null;
    q.lease.run(now + leaseMs, now, row.id);
    return fromRecord({ ...row, attempts: row.attempts + 1, due_at: now + leaseMs, updated_at: now });
  });

  return {
    enqueue: async (mail) =>
      guard(() => {
        q.insert.run({
          id: mail.id,
          receipt_id: mail.receiptId,
          sealed: mail.sealed,
          state: mail.state,
          attempts: mail.attempts,
          due_at: mail.dueAt,
          last_error: mail.lastError,
          created_at: mail.createdAt,
          updated_at: mail.updatedAt,
          expires_at: mail.expiresAt,
        });
      }),
    claim: async (now, leaseMs) => guard(() => claim.immediate(now, leaseMs)),
    settle: async (id, outcome, now) =>
      guard(
        () =>
          q.settle.run({
            id,
            state: outcome.state,
            due_at: outcome.dueAt ?? now,
            last_error: outcome.lastError ?? null,
            now,
            empty: EMPTY,
          }).changes > 0,
      ),
    status: async (receiptId, now) =>
      guard((): MailStatus | null => {
        const row = q.status.get(receiptId, now) as
          | Pick<MailRecord, "state" | "attempts" | "last_error" | "updated_at">
          | undefined;
        return row === undefined
          ? null
          : {
              state: row.state,
              attempts: row.attempts,
              lastError: row.last_error,
              updatedAt: row.updated_at,
            };
      }),
    list: async (state, limit, now) =>
      guard(() =>
        (q.list.all(state, now, limit) as Omit<MailRecord, "sealed">[]).map(
          (r): MailSummary => summaryOf({ ...r, sealed: EMPTY }),
        ),
      ),
    retryNow: async (id, leaseMs, now) =>
      guard(() => q.retryNow.run({ id, now, lease: leaseMs }).changes > 0),
  };
}

function summaryOf(r: MailRecord): MailSummary {
  const { sealed: _, ...summary } = fromRecord(r);
  return summary;
}

function fromRecord(r: MailRecord): MailRow {
  return {
    id: r.id,
    receiptId: r.receipt_id,
    sealed: r.sealed,
    state: r.state,
    attempts: r.attempts,
    dueAt: r.due_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
  };
}
