// A take must not come back after a power loss: the store's connection runs with synchronous=FULL
// unless SQLITE_SYNCHRONOUS=normal says otherwise. The value is read back from SQLite itself.
import assert from "node:assert/strict";
import { test } from "node:test";
import { tempDir } from "../../test/support/temp.js";
import { ConfigError, loadConfig } from "../config.js";
import { openStore } from "./open.js";
import type { SqliteStore } from "./sqlite.js";

async function synchronousWith(env: Record<string, string>): Promise<string> {
  using dir = tempDir("onetime-sync-");
  const store = (await openStore(loadConfig({ DATA_DIR: dir.path, ...env }), () => {})) as SqliteStore;
  try {
    return store.synchronous;
  } finally {
    await store.close();
  }
}

test("by default every commit is fsynced (synchronous=FULL)", async () => {
  assert.equal(await synchronousWith({}), "full");
});

test("SQLITE_SYNCHRONOUS=normal trades the last commits on power loss for fewer fsyncs", async () => {
  assert.equal(await synchronousWith({ SQLITE_SYNCHRONOUS: "normal" }), "normal");
  assert.equal(await synchronousWith({ SQLITE_SYNCHRONOUS: "full" }), "full");
  assert.throws(() => loadConfig({ SQLITE_SYNCHRONOUS: "off" }), ConfigError);
});
