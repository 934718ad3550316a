import assert from "node:assert/strict";
import { test } from "node:test";
import { tempDir } from "../test/support/temp.js";
import { AppError } from "./domain/errors.js";
import { countStoreErrors } from "./metrics.js";
import { openSqliteStore } from "./store/sqlite.js";

/** What every store operation throws when the backend cannot answer. */
const UNAVAILABLE = { name: "AppError", code: "store_unavailable" };

test("countStoreErrors counts a failure of every port's operations and of the store's own", async () => {
  using dir = tempDir("onetime-metrics-");
  let failures = 0;
  const store = countStoreErrors(openSqliteStore({ dataDir: dir.path }), { storeError: () => failures++ });
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
  // One wrapper per method, made once: asked again, the same function, and it still counts.
  assert.equal(store.secrets.peek, store.secrets.peek);
  assert.equal(store.ping, store.ping);
  await assert.rejects(store.secrets.peek("s", now), UNAVAILABLE);
  await assert.rejects(store.ping(), UNAVAILABLE);
  assert.equal(failures, 7);
});

test("countStoreErrors wraps a method replaced after its first use, not the old one", async () => {
  using dir = tempDir("onetime-metrics-");
  let failures = 0;
  const inner = openSqliteStore({ dataDir: dir.path });
  const store = countStoreErrors(inner, { storeError: () => failures++ });
  const first = store.secrets.peek;
  const calls: string[] = [];
  inner.secrets.peek = async (id) => {
    calls.push(id);
    throw new AppError("store_unavailable");
  };
  assert.notEqual(store.secrets.peek, first);
  await assert.rejects(store.secrets.peek("x", Date.now()), { code: "store_unavailable" });
  assert.deepEqual(calls, ["x"]);
  assert.equal(failures, 1);
  await inner.close();
});
