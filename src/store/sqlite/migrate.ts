import type { Database } from "better-sqlite3";

// The one kind of schema change so far: a nullable column added to a table. CREATE TABLE IF NOT
// EXISTS leaves an older database's tables as they were, so each added column is listed and made
// here on open, in one transaction, when the table lacks it. Idempotent; rows keep NULL.

export type AddedColumn = readonly [table: string, column: string, type: "TEXT" | "BLOB" | "INTEGER"];

export function addMissingColumns(db: Database, columns: readonly AddedColumn[]): void {
  const has = (table: string, column: string) =>
    (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).some((c) => c.name === column);
  db.transaction(() => {
    for (const [table, column, type] of columns) {
      if (!has(table, column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }).immediate();
}
