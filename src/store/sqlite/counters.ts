import type { Database } from "better-sqlite3";
import type { CounterStore } from "../ports/counters.js";
import type { GroupWrite } from "./batch.js";
import { guard, guarded } from "./guard.js";

// Fixed-window counters in SQLite: one upsert per hit (or per add of n), which starts a new window
// when the stored one has ended by `now`, so racing hits each see a distinct count.

export const COUNTERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS counters (
  key TEXT PRIMARY KEY, count INTEGER NOT NULL, expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS counters_expires ON counters (expires_at);
`;

export function sqliteCounters(db: Database, write: GroupWrite): CounterStore {
  const q = {
    add: db.prepare(
      `INSERT INTO counters (key, count, expires_at) VALUES (@key, @n, @expires)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN counters.expires_at <= @now THEN @n ELSE counters.count + @n END,
         expires_at = CASE WHEN counters.expires_at <= @now THEN @expires ELSE counters.expires_at END
       RETURNING count`,
    ),
    peek: db.prepare("SELECT count FROM counters WHERE key = ? AND expires_at > ?"),
    refund: db.prepare(
      "UPDATE counters SET count = count - 1 WHERE key = ? AND expires_at > ? AND count > 0",
    ),
  };
  const add = db.transaction(
    (key: string, n: number, windowMs: number, now: number) =>
      (q.add.get({ key, n, now, expires: now + windowMs }) as { count: number }).count,
  );
  const refund = db.transaction((key: string, now: number) => {
    q.refund.run(key, now);
  });
  return {
    hit: (key, windowMs, now) => guarded(write(() => add.immediate(key, 1, windowMs, now))),
    add: (key, n, windowMs, now) => guarded(write(() => add.immediate(key, n, windowMs, now))),
    peek: async (key, now) =>
      guard(() => (q.peek.get(key, now) as { count: number } | undefined)?.count ?? 0),
    refund: async (key, now) => {
      await guarded(write(() => refund.immediate(key, now)));
    },
  };
}
