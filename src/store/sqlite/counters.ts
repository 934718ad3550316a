import type { Database } from "better-sqlite3";
import type { CounterStore } from "../ports/counters.js";
import type { GroupWrite } from "./batch.js";
import { guard, guarded } from "./guard.js";

// Fixed-window counters in SQLite: one upsert per hit, which starts a new window when the stored one
// has ended by `now`, so racing hits each see a distinct count.

export const COUNTERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS counters (
  key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counters_expires ON counters (expires_at);
`;

export function sqliteCounters(db: Database, write: GroupWrite): CounterStore {
  const q = {
    hit: db.prepare(
      `INSERT INTO counters (key, count, expires_at) VALUES (@key, 1, @expires)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN counters.expires_at <= @now THEN 1 ELSE counters.count + 1 END,
         expires_at = CASE WHEN counters.expires_at <= @now THEN @expires ELSE counters.expires_at END
       RETURNING count`,
    ),
    peek: db.prepare("SELECT count FROM counters WHERE key = ? AND expires_at > ?"),
    refund: db.prepare(
      "UPDATE counters SET count = count - 1 WHERE key = ? AND expires_at > ? AND count > 0",
    ),
  };
  const hit = db.transaction(
    (key: string, windowMs: number, now: number) =>
      (q.hit.get({ key, now, expires: now + windowMs }) as { count: number }).count,
  );
  const refund = db.transaction((key: string, now: number) => {
    q.refund.run(key, now);
  });
  return {
    hit: (key, windowMs, now) => guarded(write(() => hit.immediate(key, windowMs, now))),
    peek: async (key, now) =>
      guard(() => (q.peek.get(key, now) as { count: number } | undefined)?.count ?? 0),
    refund: async (key, now) => {
      await guarded(write(() => refund.immediate(key, now)));
    },
  };
}
