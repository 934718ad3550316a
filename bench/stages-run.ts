import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ExtrasContext } from "./extras.js";
import { runLoad, type Scenario } from "./load.js";
import { measure, scenarios } from "./measure.js";
import { mainThreadCpuMicros } from "./proc.js";
import { openSeeder } from "./seed.js";
import { RATE_LIMITED_ENV, refusals, startOnetime } from "./servers.js";
import { type CpuProfile, STAGES, type Stage, stageMicros, stageSamples } from "./stages.js";

// The per-stage CPU table: share and reveal at 64 connections, each on its own server started with
// `node --cpu-prof` and the default rate limits on (raised, so nothing is refused), the profile's
// samples counted only inside the measured window (see stages.ts).

export interface StageColumn {
  target: string;
  scenario: string;
  requests: number;
  rps: number;
  /** All the server's threads, from /proc. */
  cpuUsPerRequest: number;
  mainThreadUsPerRequest: number;
  /** Requests refused by a rate limit during the row (checked through /metrics): always 0 here. */
  refused: number;
  /** Busy samples of the main thread inside the window. */
  samples: number;
  stages: Record<Stage, number>;
}

/** `keyRate`: reveal keys seeded per second of load (a run that runs out says so in its errors). */
export async function stagesRun(
  context: ExtrasContext,
  profileDir: string,
  keyRate = 15_000,
): Promise<StageColumn[]> {
  const { secret, seconds, serverDir, work, stores } = context;
  const columns: StageColumn[] = [];
  for (const [store, env] of Object.entries(stores)) {
    for (const name of ["share", "reveal"] as const) {
      const dir = join(profileDir, `${store}-${name}`);
      mkdirSync(dir, { recursive: true });
      const server = await startOnetime({
        secret,
        serverDir,
        cpuProfDir: dir,
        env: { ...RATE_LIMITED_ENV, ...env },
      });
      let window: { from: number; to: number };
      let row: Awaited<ReturnType<typeof measure>>;
      let mainUs: number;
      let refused: number;
      try {
        const warmKeys = join(work, `stages-${store}-warm.txt`);
        const keysFile = join(work, `stages-${store}.txt`);
        const all = scenarios(keysFile, "");
        const warm: Scenario =
          name === "share" ? (all.share as Scenario) : { ...(all.reveal as Scenario), keysFile: warmKeys };
        if (name === "reveal") {
          const seeder = await openSeeder({ ...server.env, RATE_LIMIT_ENABLED: "false" }, serverDir);
          await seeder.seed(keyRate * 3, { keysFile: warmKeys, concurrency: 64 });
          await seeder.seed(keyRate * (seconds + 1), { keysFile, concurrency: 64 });
          await seeder.close();
        }
        await runLoad(warm, { base: server.base, connections: 16, seconds: 2 });
        const refusedBefore = await refusals(server);
        const mainBefore = mainThreadCpuMicros(server.pid);
        const from = Number(process.hrtime.bigint() / 1000n);
        row = await measure(server, store, name, all[name] as Scenario, 64, seconds);
        window = { from, to: Number(process.hrtime.bigint() / 1000n) };
        mainUs = mainThreadCpuMicros(server.pid) - mainBefore;
        refused = (await refusals(server)) - refusedBefore;
        if (refused > 0)
          throw new Error(`bench: ${store} ${name} (stages): ${refused} requests refused by a rate limit`);
      } finally {
        await server.stop();
      }
      const profile = mainThreadProfile(dir);
      const counted = stageSamples(profile, window.from, window.to);
      const mainThreadUsPerRequest = row.requests === 0 ? 0 : mainUs / row.requests;
      const micros = stageMicros(counted, mainThreadUsPerRequest);
      columns.push({
        target: store,
        scenario: name,
        requests: row.requests,
        rps: row.rps,
        cpuUsPerRequest: row.cpuUsPerRequest,
        mainThreadUsPerRequest,
        refused,
        samples: counted.busy,
        stages: Object.fromEntries(STAGES.map((s) => [s, micros.get(s) ?? 0])) as Record<Stage, number>,
      });
      console.error(`  stages ${store} ${name}: ${row.rps.toFixed(0)} req/s, ${counted.busy} samples`);
    }
  }
  return columns;
}

/** The main thread's profile: V8 names it CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, thread 0. */
function mainThreadProfile(dir: string): CpuProfile {
  const file = readdirSync(dir).find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f));
  if (file === undefined) throw new Error(`bench: no main-thread profile in ${dir}`);
  return JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile;
}

/** µs of CPU per request, a column per store and scenario; the main thread by stage, then the rest. */
export function formatStageTable(columns: StageColumn[]): string {
  const heads = columns.map((c) => `${c.target} ${c.scenario}`);
  const width = Math.max(10, ...heads.map((h) => h.length));
  const label = 40;
  const line = (name: string, cells: string[]) =>
    `| ${name.padEnd(label)} | ${cells.map((c) => c.padStart(width)).join(" | ")} |`;
  const us = (n: number) => n.toFixed(1);
  return [
    line("CPU µs per request", heads),
    `|${"-".repeat(label + 2)}|${heads.map(() => `${"-".repeat(width + 1)}:`).join("|")}`.concat("|"),
    ...STAGES.map((stage) =>
      line(
        stage,
        columns.map((c) => us(c.stages[stage])),
      ),
    ),
    line(
      "main thread, total",
      columns.map((c) => us(c.mainThreadUsPerRequest)),
    ),
    line(
      "other threads (profiler, GC, WAL)",
      columns.map((c) => us(c.cpuUsPerRequest - c.mainThreadUsPerRequest)),
    ),
    line(
      "all threads (/proc)",
      columns.map((c) => us(c.cpuUsPerRequest)),
    ),
    line(
      "req/s (with --cpu-prof)",
      columns.map((c) => c.rps.toFixed(0)),
    ),
    line(
      "profile samples",
      columns.map((c) => String(c.samples)),
    ),
  ].join("\n");
}
