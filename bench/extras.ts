import type { Scenario } from "./load.js";
import { runLoad } from "./load.js";
import { measure, type Row, scenarios } from "./measure.js";
import { openSeeder } from "./seed.js";
import { startOnetime } from "./servers.js";

// The measurements beside the main table: passphrase reveals against /status latency (argon2id
// must stay off the event loop), and one worker against one per core (WORKERS). The long ones,
// --scale and --long, live in scale.ts and long.ts.

export interface ExtrasContext {
  secret: string;
  seconds: number;
  serverDir: string;
  work: string;
  /** Extra server environment per store ("sqlite" → {}, "redis" → {REDIS_URL}). */
  stores: Record<string, Record<string, string>>;
}

const PASSPHRASE = "correct horse battery staple";

export async function passphraseRun({ secret, seconds, serverDir, work }: ExtrasContext) {
  const server = await startOnetime({ secret, serverDir });
  try {
    const seeder = await openSeeder(server.env, serverDir);
    const keysFile = `${work}/passphrase.txt`;
    // argon2id runs on libuv's four threads: seed as wide as that.
    await seeder.seed(400 * (seconds + 2), { keysFile, passphrase: PASSPHRASE, concurrency: 8 });
    await seeder.close();
    const status: Scenario = { mode: "fixed", method: "GET", path: "/api/v1/status" };
    const reveal: Scenario = {
      mode: "keys",
      method: "POST",
      path: "/api/v1/secret/",
      body: `passphrase=${encodeURIComponent(PASSPHRASE)}`,
      keysFile,
    };
    const idle = await runLoad(status, { base: server.base, connections: 1, seconds });
    const [reveals, during] = await Promise.all([
      measure(server, "sqlite", "passphrase reveal", reveal, 50, seconds),
      runLoad(status, { base: server.base, connections: 1, seconds }),
    ]);
    return {
      inFlight: 50,
      passphraseRevealsPerSecond: reveals.rps,
      passphraseRevealP99Ms: reveals.p99Ms,
      revealErrors: reveals.errors + reveals.exhausted,
      statusP99MsAlone: idle.p99Ms,
      statusP99MsDuring: during.p99Ms,
      statusP50MsDuring: during.p50Ms,
      statusMaxMsDuring: during.maxMs,
      statusRequestsPerSecondDuring: during.rps,
    };
  } finally {
    await server.stop();
  }
}

/** share, reveal and status at 64 connections with WORKERS=1 and WORKERS=auto (one per core). */
export async function workersRun({
  secret,
  seconds,
  serverDir,
  work,
  stores,
}: ExtrasContext): Promise<Row[]> {
  const rows: Row[] = [];
  for (const [store, env] of Object.entries(stores)) {
    for (const workers of ["1", "auto"]) {
      const server = await startOnetime({ secret, serverDir, env: { ...env, WORKERS: workers } });
      try {
        const seeder = await openSeeder(server.env, serverDir);
        const keysFile = `${work}/workers-${store}-${workers}.txt`;
        const all = scenarios(keysFile, "");
        await runLoad(all.share as Scenario, { base: server.base, connections: 16, seconds: 2 });
        await seeder.seed(15_000 * (seconds + 1), { keysFile });
        await seeder.close();
        for (const name of ["share", "reveal", "status"]) {
          const row = await measure(
            server,
            `${store} W=${workers}`,
            name,
            all[name] as Scenario,
            64,
            seconds,
          );
          rows.push(row);
          console.error(
            `  ${row.target} ${name}: ${row.rps.toFixed(0)} req/s, p99 ${row.p99Ms.toFixed(2)} ms`,
          );
        }
      } finally {
        await server.stop();
      }
    }
  }
  return rows;
}
