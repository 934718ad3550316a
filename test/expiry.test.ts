// Expiry: expired rows read as absent at once, before any purge; the purge (on demand, or the sweeper
// inside the server) removes them; and a create-and-forget load keeps the database file bounded.
import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";
import Database from "better-sqlite3";
import { startServer } from "../src/server/start.js";
import { startSweeper } from "../src/server/sweeper.js";
import { DATABASE_FILE } from "../src/store/sqlite.js";
import { manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, postForm, share, TEST_SECRET } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";
import { waitFor } from "./support/wait.js";

const TABLES = ["secrets", "receipts", "account_receipts", "counters"] as const;

/** Row counts per table, read through a separate connection as an operator would. */
function rowCounts(dataDir: string): Record<(typeof TABLES)[number], number> {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const count = (table: string, where = "TRUE") =>
      (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get() as { n: number }).n;
    return {
      secrets: count("secrets"),
      receipts: count("receipts"),
      account_receipts: count("account_receipts"),
      // Rate limits only: the admin pages' counts of the day (actions/daily-counts.ts) are kept a month.
      counters: count("counters", "key NOT LIKE 'day:%'"),
    };
  } finally {
    db.close();
  }
}

test("a secret past its TTL reads as absent at once, before any purge", async () => {
  const t = await makeTestApp();
  try {
    const clock = manualClock(t);
    const created = await share(t.app, { secret: "short-lived", ttl: "3600" });
    const withPassphrase = await share(t.app, { secret: "also", ttl: "3600", passphrase: "pw" });

    clock.advance(3600);
    assert.deepEqual((await postForm(t.app, `/secret/${created.secret_key}`)).json(), {
      message: "Unknown secret",
      secret_key: created.secret_key,
    });
    const burn = await postForm(t.app, `/private/${withPassphrase.metadata_key}/burn`, { passphrase: "pw" });
    assert.deepEqual(burn.json(), { message: "Unknown secret", secret_key: withPassphrase.metadata_key });

    const receipt = await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` });
    assert.equal(receipt.statusCode, 200);
    const body = receipt.json();
    assert.equal(body.state, "expired");
    assert.equal(body.secret_key, "");
    assert.equal(body.secret_ttl, null);
    assert.equal(body.metadata_ttl, 3600);
    assert.ok(!("passphrase_required" in body));

    // Nothing was purged: the rows are still on disk, they only read as absent.
    assert.equal(rowCounts(t.dataDir).secrets, 2);
    assert.equal(rowCounts(t.dataDir).receipts, 2);
  } finally {
    await t.close();
  }
});

test("a receipt past 2 × ttl is unknown; the purge then removes every expired row", async () => {
  const t = await makeTestApp();
  try {
    const clock = manualClock(t);
    const created = await share(t.app, { secret: "gone soon", ttl: "600" });
    const kept = await share(t.app, { secret: "kept", ttl: "86400" });

    clock.advance(1199);
    const late = await t.app.inject({ method: "GET", url: `/api/v1/receipt/${created.metadata_key}` });
    assert.equal(late.json().state, "expired");
    assert.equal(late.json().metadata_ttl, 1);

    clock.advance(1);
    const gone = await t.app.inject({ method: "GET", url: `/api/v1/receipt/${created.metadata_key}` });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.headers["x-ots-intended-status"], "404");
    assert.deepEqual(gone.json(), { message: "Unknown secret", secret_key: created.metadata_key });

    // Counters: this IP's create window (opened at 0, 20 minutes) and metadata window (opened at 1199).
    assert.deepEqual(rowCounts(t.dataDir), { secrets: 2, receipts: 2, account_receipts: 0, counters: 2 });
    const purged = await t.deps.store.purgeExpired(t.deps.now());
    // The expired secret, its receipt, and the create counter whose window has just ended.
    assert.equal(purged, 3);
    assert.deepEqual(rowCounts(t.dataDir), { secrets: 1, receipts: 1, account_receipts: 0, counters: 1 });
    assert.equal((await postForm(t.app, `/secret/${kept.secret_key}`)).json().value, "kept");
  } finally {
    await t.close();
  }
});

test("an authenticated owner's list entries expire with their receipts", async () => {
  const t = await makeTestApp();
  try {
    const clock = manualClock(t);
    const account = await makeAccount(t.deps);
    await share(t.app, { secret: "mine", ttl: "60" }, { authorization: account.authorization });
    assert.equal(rowCounts(t.dataDir).account_receipts, 1);
    clock.advance(120);
    const recent = await t.app.inject({
      method: "GET",
      url: "/api/v1/private/recent",
      headers: { authorization: account.authorization },
    });
    assert.deepEqual(recent.json(), []);
    await t.deps.store.purgeExpired(t.deps.now());
    const rows = rowCounts(t.dataDir);
    assert.equal(rows.secrets + rows.receipts + rows.account_receipts, 0);
  } finally {
    await t.close();
  }
});

test("the sweeper purges expired rows by itself", async () => {
  const t = await makeTestApp();
  const sweeper = startSweeper(t.deps, 1);
  try {
    const clock = manualClock(t);
    await share(t.app, { secret: "a", ttl: "60" });
    await share(t.app, { secret: "b", ttl: "60" });
    const live = await share(t.app, { secret: "c", ttl: "3600" });
    clock.advance(120);
    await waitFor(() => rowCounts(t.dataDir).receipts === 1, { what: "the sweeper", intervalMs: 100 });
    assert.equal(rowCounts(t.dataDir).secrets, 1);
    assert.equal((await postForm(t.app, `/secret/${live.secret_key}`)).json().value, "c");
    assert.ok(t.logs.some((line) => /"purged":[1-9]/.test(line) && line.includes("expired rows purged")));
  } finally {
    sweeper.stop();
    await t.close();
  }
});

test("the running server sweeps on its own clock (SWEEP_INTERVAL=1, TTL_MIN=1)", async () => {
  using dir = tempDir("onetime-sweep-");
  const dataDir = dir.path;
  const server = await startServer({
    env: {
      DATA_DIR: dataDir,
      SECRET: TEST_SECRET,
      PORT: "0",
      BIND_ADDRESS: "127.0.0.1",
      LOG_LEVEL: "silent",
      TTL_MIN: "1",
      SWEEP_INTERVAL: "1",
      RATE_LIMIT_WINDOW: "1",
    },
  });
  try {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.url}/api/v1/share?secret=s${i}&ttl=1`, { method: "POST" });
      assert.equal(res.status, 200);
      assert.equal((await res.json()).ttl, 1);
    }
    assert.equal(rowCounts(dataDir).receipts, 5);
    // Receipts live 2 × ttl = 2 s; the sweeper runs every second.
    await waitFor(
      () => {
        const rows = rowCounts(dataDir);
        return rows.secrets + rows.receipts + rows.counters === 0;
      },
      { what: "the server's sweeper", timeoutMs: 20_000, intervalMs: 100 },
    );
  } finally {
    await server.stop();
  }
});

test("create-and-forget load does not grow the database without bound", async () => {
  // Durability is not what this test is about: without an fsync per commit it costs a third.
  const t = await makeTestApp({
    TTL_MIN: "1",
    RATE_LIMIT_CREATE: "1000000",
    LOG_LEVEL: "warn",
    SQLITE_SYNCHRONOUS: "normal",
  });
  const db = new Database(join(t.dataDir, DATABASE_FILE), { readonly: true });
  try {
    const clock = manualClock(t);
    const pages = () => db.pragma("page_count", { simple: true }) as number;
    const ROUNDS = 3;
    const PER_ROUND = 1000;
    const peaks: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < PER_ROUND; i++) {
        const res = await t.app.inject({
          method: "POST",
          url: `/api/v1/share?secret=${"x".repeat(200)}&ttl=1`,
        });
        assert.equal(res.statusCode, 200);
      }
      peaks.push(pages());
      clock.advance(3);
      const purged = await t.deps.store.purgeExpired(t.deps.now());
      assert.ok(purged >= 2 * PER_ROUND, `round ${round} purged ${purged}`);
      const rows = rowCounts(t.dataDir);
      assert.equal(rows.secrets + rows.receipts, 0);
    }
    // Freed pages are reused: after the first round the file stops growing. Without the purge the
    // last round would need about ROUNDS times the first round's pages.
    const first = peaks[0] as number;
    assert.ok(first > 100, `the load should need room: ${first} pages`);
    for (const peak of peaks.slice(1)) {
      assert.ok(peak <= first * 1.1 + 16, `page counts per round: ${peaks.join(", ")}`);
    }
  } finally {
    db.close();
    await t.close();
  }
});
