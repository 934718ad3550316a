// Crashes under load: kill -9 Redis (AOF, fsync always) or kill -9 the server on SQLite while shares
// and reveals are in flight. Afterwards every acknowledged share that was not revealed is revealable
// exactly once with its value, and every secret revealed before the crash stays gone.
// The crash is set off by progress (a number of answered reveals), not by a clock, and the load ends
// when every worker has met the crashed store once: a slow machine makes the test slower, not weaker.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { freePort } from "./support/ports.js";
import { AOF_ALWAYS, type RedisServer, startRedis } from "./support/redis-server.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir as makeTempDir, type TempDir } from "./support/temp.js";
import { waitFor } from "./support/wait.js";

const SECRET = "crash-test-root-secret-0123456789abcdef";
const IN_FLIGHT = 16;
/** The crash comes once this many reveals have answered (so a share is acknowledged ~2 times as often). */
const REVEALS_BEFORE_CRASH = 60;
/** A bound on shares, should reveals never answer: the crash then comes anyway and the test fails. */
const MAX_CREATES = 1500;
const UNKNOWN = "Unknown secret";

const servers = new Set<Server>();
const redises = new Set<RedisServer>();
const dirs: TempDir[] = [];

after(async () => {
  await Promise.all([...servers].map((server) => server.kill()));
  await Promise.all([...redises].map((redis) => redis.crash()));
  for (const dir of dirs) dir.remove();
});

function tempDir(prefix: string): string {
  const dir = makeTempDir(prefix);
  dirs.push(dir);
  return dir.path;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const server = await startServerProcess({ RATE_LIMIT_ENABLED: "false", SECRET, ...env });
  servers.add(server);
  return server;
}

async function startAofRedis(port: number, dir: string): Promise<RedisServer> {
  const redis = await startRedis(AOF_ALWAYS, { port, dir });
  redises.add(redis);
  return redis;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function post(base: string, path: string, form: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface LoadResult {
  /** secret_key → value, for every share whose 200 arrived. */
  acked: Map<string, string>;
  /** Keys whose reveal answered 200 with the right value before/around the crash. */
  revealed: Set<string>;
  /** Keys whose reveal got no definite answer (error, unavailable): consumed or not, unknown. */
  inDoubt: Set<string>;
  attempts: number;
}

/**
 * IN_FLIGHT workers create distinct secrets and reveal earlier acknowledged ones (each picked once).
 * `crash` runs as soon as REVEALS_BEFORE_CRASH reveals have answered (or MAX_CREATES shares were
 * sent), while the other workers' requests are in flight. Once it is over, each worker sends one
 * more request (which meets the crashed store) and stops.
 */
async function runLoad(base: string, crash: () => Promise<void>): Promise<LoadResult> {
  const acked = new Map<string, string>();
  const revealed = new Set<string>();
  const inDoubt = new Set<string>();
  const pool: string[] = [];
  let attempts = 0;
  let crashing = false;
  let crashOver = false;
  let crashed: Promise<void> = Promise.resolve();

  function startCrash(): void {
    if (crashing) return;
    // No new reveals from here on: only those already in flight can be in doubt.
    crashing = true;
    crashed = crash().then(() => {
      crashOver = true;
    });
  }

  async function reveal(key: string): Promise<void> {
    try {
      const res = await post(base, `/secret/${key}`);
      if (res.status === 200) {
        assert.equal(res.body.value, acked.get(key), "a reveal returns the value it was given");
        revealed.add(key);
        if (revealed.size >= REVEALS_BEFORE_CRASH) startCrash();
      } else if (res.status === 404 && res.body.message === UNKNOWN) {
        assert.fail(`acknowledged, never revealed secret ${key} was unknown before being revealed`);
      } else {
        inDoubt.add(key);
      }
    } catch (err) {
      if (err instanceof assert.AssertionError) throw err;
      inDoubt.add(key);
    }
  }

  async function share(value: string): Promise<void> {
    attempts++;
    if (attempts >= MAX_CREATES) startCrash();
    try {
      const res = await post(base, "/share", { secret: value });
      if (res.status === 200) {
        const secretKey = String(res.body.secret_key);
        acked.set(secretKey, value);
        pool.push(secretKey);
      }
    } catch {
      // the server or its store is gone: this share was not acknowledged
    }
  }

  async function worker(w: number): Promise<void> {
    for (let i = 0; ; i++) {
      const last = crashOver;
      const key = i % 3 === 2 && !crashing ? pool.shift() : undefined;
      if (key !== undefined) await reveal(key);
      else await share(`crash-${w}-${i}-${crypto.randomUUID()}`);
      if (last) return;
    }
  }

  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
  await crashed;
  return { acked, revealed, inDoubt, attempts };
}

/**
 * Whether /readyz comes to answer 200. The server reconnects to Redis by itself, on its own backoff
 * (at most 2 s between tries), and shows it only there: it is asked again after each answer, with a
 * pause so as not to flood it, up to 1200 times (a minute or more, far beyond one backoff).
 */
async function becomesReady(base: string): Promise<boolean> {
  const ready = async () =>
    (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(10_000) })).status === 200;
  await waitFor(ready, {
    what: "/readyz to answer 200 after Redis restarted",
    timeoutMs: 120_000,
    intervalMs: 50,
  });
  return true;
}

interface Verdict {
  foundAfter: number;
  goneAfter: number;
  inDoubtFound: number;
}

/** Every check after the crash, IN_FLIGHT at a time. */
async function verify(base: string, load: LoadResult): Promise<Verdict> {
  const verdict: Verdict = { foundAfter: 0, goneAfter: 0, inDoubtFound: 0 };
  const jobs: (() => Promise<void>)[] = [];
  for (const [key, value] of load.acked) {
    if (load.revealed.has(key)) {
      jobs.push(async () => {
        const res = await post(base, `/secret/${key}`);
        assert.equal(res.status, 404, `secret ${key} revealed before the crash is revealable again`);
        assert.equal(res.body.message, UNKNOWN);
        verdict.goneAfter++;
      });
    } else if (load.inDoubt.has(key)) {
      // Its reveal may or may not have happened: at most once more, and with its own value.
      jobs.push(async () => {
        const res = await post(base, `/secret/${key}`);
        if (res.status === 200) {
          assert.equal(res.body.value, value);
          verdict.inDoubtFound++;
          const again = await post(base, `/secret/${key}`);
          assert.equal(again.status, 404);
          assert.equal(again.body.message, UNKNOWN);
        } else {
          assert.equal(res.status, 404);
          assert.equal(res.body.message, UNKNOWN);
        }
      });
    } else {
      jobs.push(async () => {
        const res = await post(base, `/secret/${key}`);
        assert.equal(res.status, 200, `acknowledged secret ${key} lost in the crash`);
        assert.equal(res.body.value, value);
        const again = await post(base, `/secret/${key}`);
        assert.equal(again.status, 404, `secret ${key} revealed twice`);
        assert.equal(again.body.message, UNKNOWN);
        verdict.foundAfter++;
      });
    }
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++];
        if (job !== undefined) await job();
      }
    }),
  );
  return verdict;
}

function report(t: { diagnostic(message: string): void }, load: LoadResult, verdict: Verdict): void {
  const unrevealed = load.acked.size - load.revealed.size - load.inDoubt.size;
  t.diagnostic(
    `shares attempted ${load.attempts}, acknowledged ${load.acked.size}, revealed before ${load.revealed.size}, ` +
      `reveals in doubt ${load.inDoubt.size} (found after ${verdict.inDoubtFound}), ` +
      `found after ${verdict.foundAfter}/${unrevealed}, revealed-before gone after ${verdict.goneAfter}`,
  );
}

test("Redis with AOF killed -9 under load: acknowledged shares survive, reveals stay single", async (t) => {
  const port = await freePort();
  const redisDir = tempDir("onetime-crash-redis-");
  let redis = await startAofRedis(port, redisDir);
  const server = await startServer({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    DATA_DIR: tempDir("onetime-crash-redis-data-"),
  });

  const load = await runLoad(server.base, () => redis.crash());
  assert.ok(load.acked.size > 0, "some shares were acknowledged before the crash");
  assert.ok(load.revealed.size >= REVEALS_BEFORE_CRASH, "some secrets were revealed before the crash");

  redis = await startAofRedis(port, redisDir);
  assert.ok(await becomesReady(server.base), "the server reconnected to the restarted Redis by itself");

  const verdict = await verify(server.base, load);
  report(t, load, verdict);
  assert.equal(verdict.goneAfter, load.revealed.size);
  await server.kill();
  await redis.crash();
});

test("SQLite server killed -9 under load: acknowledged shares survive a restart, reveals stay single", async (t) => {
  const dataDir = tempDir("onetime-crash-sqlite-");
  const first = await startServer({ DATA_DIR: dataDir });

  const load = await runLoad(first.base, () => first.kill());
  assert.ok(load.acked.size > 0, "some shares were acknowledged before the crash");
  assert.ok(load.revealed.size >= REVEALS_BEFORE_CRASH, "some secrets were revealed before the crash");

  const second = await startServer({ DATA_DIR: dataDir });
  const verdict = await verify(second.base, load);
  report(t, load, verdict);
  assert.equal(verdict.goneAfter, load.revealed.size);
  await second.kill();
});
