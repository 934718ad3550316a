import type { Database } from "better-sqlite3";
import type { StoreFigures, StoreSize } from "../ports/size.js";
import { guard } from "./guard.js";

// The store's figures in SQLite: a count per table through its expiry index, and the database's
// size in pages (the write-ahead log, cut back after each checkpoint, is left out).

export function sqliteSize(db: Database): StoreSize {
  const measure = db.prepare(
    `SELECT
       (SELECT COUNT(*) FROM secrets WHERE expires_at > @now) AS secrets,
       (SELECT COUNT(*) FROM receipts WHERE expires_at > @now) AS receipts,
       (SELECT COUNT(*) FROM accounts) AS accounts,
       (SELECT COUNT(*) FROM sessions WHERE expires_at > @now) AS sessions`,
  );
  return {
    measure: async (now) =>
      guard((): StoreFigures => {
        const counts = measure.get({ now }) as Omit<StoreFigures, "bytes">;
        const pages = Number(db.pragma("page_count", { simple: true }));
        const pageSize = Number(db.pragma("page_size", { simple: true }));
        return { ...counts, bytes: pages * pageSize };
      }),
  };
}
