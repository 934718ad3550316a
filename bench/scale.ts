import { statSync } from "node:fs";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import Database from "better-sqlite3";
import { createClient } from "redis";
import type { ExtrasContext } from "./extras.js";
import type { Scenario } from "./load.js";
import { measure, type Row, scenarios } from "./measure.js";
import { openSeeder, type Seeder } from "./seed.js";
import { startOnetime } from "./servers.js";

// --scale: share and reveal at 64 connections on an empty store, then with `live` (1,000,000)
// live secrets; the bytes each secret takes; and, on SQLite, the sweep of 100,000 secrets that
// expire at once (the event loop is held while SQLite deletes, so its longest stall is reported).

export interface ScaleOptions extends ExtrasContext {
  live: number;
  expiring: number;
}

export async function scaleRun(options: ScaleOptions) {
  const out: Record<string, unknown> = {};
  for (const [store, env] of Object.entries(options.stores))
    out[store] = await scaleStore(store, env, options);
  return out;
}

async function scaleStore(store: string, env: Record<string, string>, o: ScaleOptions) {
  const server = await startOnetime({ secret: o.secret, serverDir: o.serverDir, env });
  const seeder = await openSeeder(server.env, o.serverDir);
  const rows: Row[] = [];
  const pair = async (label: string) => {
    const keysFile = join(o.work, `scale-${store}-${label}.txt`);
    await seeder.seed(15_000 * (o.seconds + 1), { keysFile, concurrency: 64 });
    const all = scenarios(keysFile, "");
    for (const name of ["share", "reveal"]) {
      const row = await measure(server, `${store} ${label}`, name, all[name] as Scenario, 64, o.seconds);
      rows.push(row);
      console.error(`  ${row.target} ${name}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99Ms.toFixed(2)} ms`);
    }
  };
  try {
    await runLoadWarmup(server.base);
    await pair("empty");
    const before = await footprint(store, server.dataDir, env);
    const started = Date.now();
    await seeder.seed(o.live, {
      concurrency: 64,
      onProgress: (n) => console.error(`  ${store}: ${n} live secrets seeded`),
    });
    const seedSeconds = (Date.now() - started) / 1000;
    const after = await footprint(store, server.dataDir, env);
    await pair(`${o.live / 1e6}M`);
    const sweep = store === "sqlite" ? await sweepRun(seeder, o.expiring) : "native expiry (PEXPIREAT)";
    return {
      rows,
      liveSecrets: o.live,
      seedSecondsInProcess: seedSeconds,
      bytesPerSecret: (after - before) / o.live,
      footprintBytes: after,
      sweep,
    };
  } finally {
    await seeder.close();
    await server.stop();
  }
}

async function runLoadWarmup(base: string): Promise<void> {
  const { runLoad } = await import("./load.js");
  await runLoad(scenarios("", "").share as Scenario, { base, connections: 16, seconds: 2 });
}

/** SQLite: the database file after a full checkpoint; Redis: used_memory. */
async function footprint(store: string, dataDir: string, env: Record<string, string>): Promise<number> {
  if (store === "sqlite") {
    const file = join(dataDir, "onetime.db");
    const db = new Database(file);
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.close();
    return statSync(file).size;
  }
  const client = createClient({ url: env.REDIS_URL });
  await client.connect();
  const info = await client.info("memory");
  await client.close();
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
}

/**
 * `expiring` secrets created in the past so that they (and their receipts) have expired, among the
 * live ones; then the same purge the sweeper runs, timed, with the event loop's longest stall.
 */
async function sweepRun(seeder: Seeder, expiring: number) {
  const ttl = 60;
  await seeder.seed(expiring, { ttl, agoMs: 2 * ttl * 1000 + 5000, concurrency: 64 });
  const { store } = seeder.runtime.deps;
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  // The histogram records from its second tick on: let it start before the purge.
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  const purged = await store.purgeExpired(Date.now());
  const ms = performance.now() - started;
  // Let the monitor observe the turn that ran the purge.
  await new Promise((resolve) => setTimeout(resolve, 20));
  delay.disable();
  return { expiring, rowsPurged: purged, purgeMs: ms, longestEventLoopStallMs: delay.max / 1e6 };
}
