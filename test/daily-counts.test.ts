// The admin pages' figures over time (actions/daily-counts.ts): secrets created, read (each view),
// burned and found expired, and rate-limit refusals, counted per UTC day. Each process tallies them
// in memory and adds its tally to the store in one write per kind and day, when flushed (its timer,
// the admin overview, a graceful shutdown), so that every process of a deployment adds to one count;
// and a counters store that fails never fails what it counts.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import { type DayCounts, dailyCounts } from "../src/actions/daily-counts.js";
import { buildApp } from "../src/server/app.js";
import { createRuntime } from "../src/server/runtime.js";
import { DATABASE_FILE } from "../src/store/sqlite.js";
import { manualClock } from "./support/clock.js";
import { makeTestApp, postForm, share, TEST_SECRET } from "./support/helpers.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";
import { tempDir } from "./support/temp.js";

const HOUR = 3_600_000;
const none = { created: 0, read: 0, burned: 0, expired: 0, rate_limited: 0 };
const today = (days: DayCounts[]) => days.at(-1)?.counts;

test("created, read, burned, expired and rate-limited requests add to the day they happen", async () => {
  const t = await makeTestApp({ RATE_LIMIT_METADATA: "3" });
  try {
    t.deps.daily.start(HOUR); // only the explicit flush below writes
    // A minute to midnight, UTC.
    const clock = manualClock(t, Date.UTC(2030, 0, 10, 23, 59));
    const read = await share(t.app, { secret: "read me" });
    const other = await share(t.app, { secret: "read me too" });
    const burned = await share(t.app, { secret: "burn me" });
    const expiring = await share(t.app, { secret: "let me expire", ttl: "60" });
    for (const key of [read.secret_key, other.secret_key]) {
      assert.equal((await postForm(t.app, `/secret/${key}`)).statusCode, 200);
    }
    assert.equal((await postForm(t.app, `/private/${burned.metadata_key}/burn`)).statusCode, 200);
    const again = await postForm(t.app, `/secret/${read.secret_key}`);
    assert.equal(again.statusCode, 404, "nothing left to read, nothing counted");

    clock.advance(90);
    // Past midnight: the expired secret is found when its receipt (which lives twice as long) is
    // looked at, and the fourth look from one address is refused.
    const looks = [];
    for (let i = 0; i < 4; i++)
      looks.push((await postForm(t.app, `/private/${expiring.metadata_key}`)).statusCode);
    assert.deepEqual(looks, [200, 200, 200, 404]);

    const before = await dailyCounts(t.deps.store, clock.now(), 3);
    assert.deepEqual(
      before.map((d) => d.counts),
      [none, none, none],
      "counted in memory: no store write on a request's path",
    );
    await t.deps.daily.flush();
    const days = await dailyCounts(t.deps.store, clock.now(), 3);
    assert.deepEqual(days, [
      { day: "2030-01-09", counts: none },
      { day: "2030-01-10", counts: { ...none, created: 4, read: 2, burned: 1 } },
      { day: "2030-01-11", counts: { ...none, expired: 1, rate_limited: 1 } },
    ]);
    await t.deps.daily.flush();
    assert.deepEqual(await dailyCounts(t.deps.store, clock.now(), 3), days, "a flush adds each count once");
  } finally {
    await t.close();
  }
});

/** One instance of the app (runtime and HTTP app) on `env`, as one process of a deployment runs it. */
async function instance(env: Record<string, string>) {
  const runtime = await createRuntime({
    env: { SECRET: TEST_SECRET, LOG_LEVEL: "silent", HOST: "localhost:3000", ...env },
  });
  runtime.deps.daily.start(HOUR); // only an explicit flush or the shutdown writes
  const app = await buildApp(runtime.deps);
  return {
    app,
    deps: runtime.deps,
    /** A graceful shutdown, as on SIGTERM: the app, then the runtime (which flushes). */
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

/** Two instances sharing `env`'s store count one day's figures together. */
async function twoInstances(env: Record<string, string>) {
  const a = await instance({ ...env, RATE_LIMIT_METADATA: "1" });
  const b = await instance({ ...env, RATE_LIMIT_METADATA: "1" });
  let bOpen = true;
  try {
    const fromA = await share(a.app, { secret: "made on a" });
    await share(a.app, { secret: "also made on a" });
    const fromB = await share(b.app, { secret: "made on b" });
    // Read on a what b made; burn on b what a made; b refuses a second look at a receipt.
    assert.equal((await postForm(a.app, `/secret/${fromB.secret_key}`)).statusCode, 200);
    assert.equal((await postForm(b.app, `/private/${fromA.metadata_key}/burn`)).statusCode, 200);
    const looks = [];
    for (let i = 0; i < 2; i++)
      looks.push((await postForm(b.app, `/private/${fromB.metadata_key}`)).statusCode);
    assert.deepEqual(looks, [200, 404]);

    const now = Date.now();
    assert.deepEqual(today(await dailyCounts(a.deps.store, now, 1)), none, "nothing flushed yet");
    await a.deps.daily.flush();
    assert.deepEqual(today(await dailyCounts(b.deps.store, now, 1)), { ...none, created: 2, read: 1 });
    bOpen = false;
    await b.close(); // its shutdown flushes its tally
    assert.deepEqual(today(await dailyCounts(a.deps.store, now, 1)), {
      ...none,
      created: 3,
      read: 1,
      burned: 1,
      rate_limited: 1,
    });
  } finally {
    if (bOpen) await b.close();
    await a.close();
  }
}

describe("two instances add to one count", () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis?.kill());

  test("sharing one SQLite file", async () => {
    using dir = tempDir("onetime-daily-");
    await twoInstances({ DATA_DIR: dir.path });
  });

  test("sharing one redis-server", async () => {
    using dir = tempDir("onetime-daily-");
    await twoInstances({ DATA_DIR: dir.path, REDIS_URL: redis.url });
  });
});

test("a counters store that refuses the day's counts fails no request; the counts wait for it", async () => {
  const t = await makeTestApp();
  t.deps.daily.start(HOUR);
  // A real fault in the real store: SQLite itself refuses every write to a day counter (rate-limit
  // counters, in the same table, still work).
  const db = new Database(join(t.dataDir, DATABASE_FILE));
  try {
    for (const when of ["INSERT", "UPDATE"]) {
      db.exec(`CREATE TRIGGER refuse_day_${when} BEFORE ${when} ON counters
        WHEN NEW.key LIKE 'day:%' BEGIN SELECT RAISE(ABORT, 'day counters refused'); END`);
    }
    const made = await share(t.app, { secret: "counted later" });
    assert.match(made.secret_key, /^[0-9a-z]+$/);
    assert.equal((await postForm(t.app, `/secret/${made.secret_key}`)).statusCode, 200);
    await t.deps.daily.flush(); // never rejects
    assert.ok(
      t.logs.some((line) => line.includes("daily counts not recorded")),
      "the failed write is logged",
    );
    assert.deepEqual(today(await dailyCounts(t.deps.store, Date.now(), 1)), none);

    // The store takes them again: the counts kept in memory arrive at the next flush.
    for (const when of ["INSERT", "UPDATE"]) db.exec(`DROP TRIGGER refuse_day_${when}`);
    await t.deps.daily.flush();
    assert.deepEqual(today(await dailyCounts(t.deps.store, Date.now(), 1)), { ...none, created: 1, read: 1 });
  } finally {
    db.close();
    await t.close();
  }
});

test("at shutdown, counts the store refuses are logged as lost, and the shutdown completes", async () => {
  const t = await makeTestApp();
  t.deps.daily.start(HOUR);
  const db = new Database(join(t.dataDir, DATABASE_FILE));
  db.exec(`CREATE TRIGGER refuse_day BEFORE INSERT ON counters
    WHEN NEW.key LIKE 'day:%' BEGIN SELECT RAISE(ABORT, 'day counters refused'); END`);
  db.close();
  await share(t.app, { secret: "one" });
  await share(t.app, { secret: "two" });
  const logs = t.logs;
  await t.close();
  const lost = logs
    .map((line) => JSON.parse(line))
    .find((l) => l.msg === "daily counts not recorded at shutdown");
  assert.equal(lost?.lost, 2);
});
