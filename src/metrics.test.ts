import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { countStoreErrors } from "./metrics.js";
import { openSqliteStore } from "./store/sqlite.js";

/** What every store operation throws when the backend cannot answer. */
const UNAVAILABLE = { name: "AppError", code: "store_unavailable" };

test("countStoreErrors counts a failure of every port's operations and of the store's own", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "onetime-metrics-"));
  let failures = 0;
  const store = countStoreErrors(openSqliteStore({ dataDir }), { storeError: () => failures++ });
  try {
    assert.equal(store.name, "sqlite");
    assert.equal(await store.counters.hit("k", 1000, Date.now()), 1);
    assert.equal(failures, 0);
    await store.close();
    const now = Date.now();
    for (const attempt of [
      store.secrets.peek("s", now),
      store.accounts.get("a"),
      store.counters.peek("k", now),
      store.outbox.status("r", now),
      store.ping(),
    ]) {
      await assert.rejects(attempt, UNAVAILABLE);
    }
    assert.equal(failures, 5);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
