import type { Database } from "better-sqlite3";
import type { AuditEntry, AuditLog, AuditOutcome, AuditQuery } from "../ports/audit.js";
import type { GroupWrite } from "./batch.js";
import { guard, guarded } from "./guard.js";

// The audit log in SQLite: one row per entry, in id order (ids sort by time). Old entries go with
// the sweep, like every row with an expires_at (sqlite.ts, EXPIRING_TABLES).

export const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  id TEXT PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  target TEXT NOT NULL, ip TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_expires ON audit (expires_at);
CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, id);
CREATE INDEX IF NOT EXISTS audit_target ON audit (target, id);
CREATE INDEX IF NOT EXISTS audit_ip ON audit (ip, id);
`;

interface AuditRecord {
  id: string;
  at: number;
  actor: string;
  action: string;
  target: string;
  ip: string;
  outcome: AuditOutcome;
  detail: string;
  expires_at: number;
}

export function sqliteAudit(db: Database, write: GroupWrite): AuditLog {
  const insert = db.prepare(
    `INSERT INTO audit (id, at, actor, action, target, ip, outcome, detail, expires_at)
     VALUES (@id, @at, @actor, @action, @target, @ip, @outcome, @detail, @expires_at)`,
  );
  const append = db.transaction((e: AuditEntry) => {
    insert.run({ ...e, expires_at: e.expiresAt });
  });
  // The filters make a handful of shapes; each is prepared once, on first use.
  const lists = new Map<string, ReturnType<Database["prepare"]>>();
  const listing = (q: AuditQuery) => {
    const newest = q.order === "newest";
    const where = ["expires_at > @now"];
    if (q.after !== undefined) where.push(newest ? "id < @after" : "id > @after");
    if (q.about !== undefined) where.push("(actor = @about OR target = @about)");
    if (q.ip !== undefined) where.push("ip = @ip");
    const sql = `SELECT * FROM audit WHERE ${where.join(" AND ")} ORDER BY id ${newest ? "DESC" : "ASC"} LIMIT @limit`;
    let statement = lists.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      lists.set(sql, statement);
    }
    return statement;
  };

  return {
    append: async (entry) => {
      await guarded(write(() => append.immediate(entry)));
    },
    list: async (q) =>
      guard(() =>
        (
          listing(q).all({
            now: q.now,
            limit: q.limit,
            after: q.after,
            about: q.about,
            ip: q.ip,
          }) as AuditRecord[]
        ).map(fromRecord),
      ),
  };
}

function fromRecord(r: AuditRecord): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    target: r.target,
    ip: r.ip,
    outcome: r.outcome,
    detail: r.detail,
    expiresAt: r.expires_at,
  };
}
