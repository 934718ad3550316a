import type { Database } from "better-sqlite3";
import type { OwnedRequest, RequestAnswer, RequestRow, RequestStore } from "../ports/requests.js";
import type { GroupWrite } from "./batch.js";
import { guard, guarded } from "./guard.js";

// Secret requests in SQLite: one row per request (its owner's list is an index on account_id), one
// row per answer. Taking an answer slot and listing the answer is one IMMEDIATE transaction.
// `expires_at` is when the row goes (the sweep's column: sqlite.ts, EXPIRING_TABLES); the request
// link's own expiry is `link_expires_at`.

export const REQUESTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS requests (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, sealed_manage_key BLOB NOT NULL, sealed_note BLOB NOT NULL,
  public_key BLOB NOT NULL, answer_key BLOB NOT NULL, answers_max INTEGER NOT NULL,
  answers_used INTEGER NOT NULL, created_at INTEGER NOT NULL, link_expires_at INTEGER NOT NULL,
  closed_at INTEGER, expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS requests_account ON requests (account_id, created_at);
CREATE INDEX IF NOT EXISTS requests_expires ON requests (expires_at);
CREATE TABLE IF NOT EXISTS request_answers (
  request_id TEXT NOT NULL, seq INTEGER NOT NULL, receipt_id TEXT NOT NULL, sealed_metadata_key BLOB NOT NULL,
  sender_key BLOB NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (request_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS request_answers_expires ON request_answers (expires_at);
`;

interface RequestRecord {
  id: string;
  account_id: string;
  sealed_manage_key: Buffer;
  sealed_note: Buffer;
  public_key: Buffer;
  answer_key: Buffer;
  answers_max: number;
  answers_used: number;
  created_at: number;
  link_expires_at: number;
  closed_at: number | null;
  expires_at: number;
}

interface AnswerRecord {
  receipt_id: string;
  sealed_metadata_key: Buffer;
  sender_key: Buffer;
  created_at: number;
  expires_at: number;
}

export function sqliteRequests(db: Database, write: GroupWrite): RequestStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO requests (id, account_id, sealed_manage_key, sealed_note, public_key, answer_key,
         answers_max, answers_used, created_at, link_expires_at, closed_at, expires_at)
       VALUES (@id, @account_id, @sealed_manage_key, @sealed_note, @public_key, @answer_key, @answers_max,
         @answers_used, @created_at, @link_expires_at, @closed_at, @expires_at)`,
    ),
    get: db.prepare("SELECT * FROM requests WHERE id = ? AND expires_at > ?"),
    take: db.prepare(
      `UPDATE requests SET answers_used = answers_used + 1, expires_at = MAX(expires_at, @answer_expires)
       WHERE id = @id AND expires_at > @now AND closed_at IS NULL AND link_expires_at > @now
         AND answers_used < answers_max
       RETURNING *`,
    ),
    insertAnswer: db.prepare(
      `INSERT INTO request_answers (request_id, seq, receipt_id, sealed_metadata_key, sender_key, created_at,
         expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    close: db.prepare(
      `UPDATE requests SET closed_at = @now
       WHERE id = @id AND expires_at > @now AND closed_at IS NULL AND link_expires_at > @now
         AND answers_used < answers_max
       RETURNING *`,
    ),
    answers: db.prepare(
      `SELECT receipt_id, sealed_metadata_key, sender_key, created_at, expires_at FROM request_answers
       WHERE request_id = ? AND expires_at > ? ORDER BY seq`,
    ),
    list: db.prepare(
      `SELECT * FROM requests WHERE account_id = ? AND created_at >= ? AND expires_at > ?
       ORDER BY created_at DESC, id`,
    ),
  };

  const answer = db.transaction((id: string, a: RequestAnswer, now: number) => {
    const row = q.take.get({ id, now, answer_expires: a.expiresAt }) as RequestRecord | undefined;
    if (row === undefined) return null;
    q.insertAnswer.run(
      id,
      row.answers_used,
      a.receiptId,
      a.sealedMetadataKey,
      a.senderKey,
      a.createdAt,
      a.expiresAt,
    );
    return fromRecord(row);
  });
  const create = db.transaction((r: RequestRow, sealedManageKey: Buffer) => {
    q.insert.run(toRecord(r, sealedManageKey));
  });
  const close = db.transaction((id: string, now: number) => {
    const row = q.close.get({ id, now }) as RequestRecord | undefined;
    return row === undefined ? null : fromRecord(row);
  });

  return {
    create: async (r, sealedManageKey) => {
      await guarded(write(() => create.immediate(r, sealedManageKey)));
    },
    get: async (id, now) =>
      guard(() => {
        const row = q.get.get(id, now) as RequestRecord | undefined;
        return row === undefined ? null : fromRecord(row);
      }),
    answer: (id, a, now) => guarded(write(() => answer.immediate(id, a, now))),
    close: (id, now) => guarded(write(() => close.immediate(id, now))),
    answers: async (id, now) =>
      guard(() =>
        (q.answers.all(id, now) as AnswerRecord[]).map((r) => ({
          receiptId: r.receipt_id,
          sealedMetadataKey: r.sealed_metadata_key,
          senderKey: r.sender_key,
          createdAt: r.created_at,
          expiresAt: r.expires_at,
        })),
      ),
    list: async (accountId, since, now) =>
      guard(() =>
        (q.list.all(accountId, since, now) as RequestRecord[]).map(
          (r): OwnedRequest => ({ request: fromRecord(r), sealedManageKey: r.sealed_manage_key }),
        ),
      ),
  };
}

function toRecord(r: RequestRow, sealedManageKey: Buffer): RequestRecord {
  return {
    id: r.id,
    account_id: r.accountId,
    sealed_manage_key: sealedManageKey,
    sealed_note: r.sealedNote,
    public_key: r.publicKey,
    answer_key: r.answerKey,
    answers_max: r.answersMax,
    answers_used: r.answersUsed,
    created_at: r.createdAt,
    link_expires_at: r.expiresAt,
    closed_at: r.closedAt,
    expires_at: r.keepUntil,
  };
}

function fromRecord(r: RequestRecord): RequestRow {
  return {
    id: r.id,
    accountId: r.account_id,
    sealedNote: r.sealed_note,
    publicKey: r.public_key,
    answerKey: r.answer_key,
    answersMax: r.answers_max,
    answersUsed: r.answers_used,
    createdAt: r.created_at,
    expiresAt: r.link_expires_at,
    closedAt: r.closed_at,
    keepUntil: r.expires_at,
  };
}

/** Deletes an account's requests and their answers' entries (inside the account's deletion). */
export function requestsEraser(db: Database): (accountId: string) => void {
  const answers = db.prepare(
    "DELETE FROM request_answers WHERE request_id IN (SELECT id FROM requests WHERE account_id = ?)",
  );
  const requests = db.prepare("DELETE FROM requests WHERE account_id = ?");
  return (accountId) => {
    answers.run(accountId);
    requests.run(accountId);
  };
}
