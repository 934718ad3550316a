import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { tempDir } from "../../test/support/temp.js";
import { ACCOUNTS_SCHEMA } from "./sqlite/accounts.js";
import { DATABASE_FILE, openSqliteStore } from "./sqlite.js";

test("sqlite: an accounts table made before admins gains disabled_at on open; its accounts read as enabled", async () => {
  using dir = tempDir("onetime-sqlite-");
  const old = new Database(join(dir.path, DATABASE_FILE));
  old.exec(ACCOUNTS_SCHEMA);
  const now = Date.now();
  old
    .prepare("INSERT INTO accounts (id, email, created_at, updated_at) VALUES (?, ?, ?, ?)")
    .run("a1", "old@example.com", now, now);
  old.close();
  const store = openSqliteStore({ dataDir: dir.path });
  try {
    assert.equal((await store.accounts.get("a1"))?.disabledAt, null);
    assert.equal(await store.accounts.setDisabled("a1", now + 1, now + 1), true);
    assert.equal((await store.accounts.get("a1"))?.disabledAt, now + 1);
  } finally {
    await store.close();
  }
});
