import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type RedisServer, startRedis } from "../test/support/redis-server.js";
import { type ExtrasContext, passphraseRun, workersRun } from "./extras.js";
import { loadTool, runLoad } from "./load.js";
import { longRun } from "./long.js";
import { measure, type Row, SHARE_BODY, scenarios, ZK_SECRET } from "./measure.js";
import { scaleRun } from "./scale.js";
import { openSeeder, type Seeder } from "./seed.js";
import { type BenchServer, RATE_LIMITED_ENV, ROOT, refusals, startOnetime, startRaw } from "./servers.js";
import { formatStageTable, stagesRun } from "./stages-run.js";
import { formatTable } from "./table.js";

// `npm run bench`: builds the server, measures the raw node:http ceiling, then every scenario on
// SQLite and (when redis-server is installed) Redis at each connection count, then passphrase
// reveals and WORKERS, all in one run; writes bench/results/<date>-<host>.json.
// --scale adds 1,000,000 live secrets and the sweep; --long a 1,000,000-request RSS run.
// docs/benchmarks.md describes the method.

const USAGE = `usage: npm run bench -- [options]

  --quick                 a smoke run: 1 s per row, 64 connections, no extras (the
                          stage profile and the rate-limited rows stay)
  --duration S            seconds per run (8)
  --connections N,N…      connection counts (1,16,64)
  --stores LIST           sqlite,redis (both; redis only when redis-server is installed)
  --scenarios LIST        share,reveal,cycle,metadata,status,v2-share,v2-reveal,
                          v2-file-share,zk-share,zk-reveal (all)
  --no-limited            skip the second row per scenario with the rate limits on
  --no-stages             skip the CPU-per-stage profile of share and reveal
  --no-extras             skip the passphrase and WORKERS runs
  --no-table              skip the table (the ceiling and the scenarios)
  --scale                 add 1,000,000 live secrets per store and the sweep
  --scale-live N          live secrets for --scale (1000000)
  --long                  add a long run that watches the server's memory
  --long-requests N       requests in the long run (1000000)
  --env KEY=VALUE         extra environment for every server (repeatable)
  --profile DIR           write V8 CPU profiles of the servers under DIR
  --server-dir DIR        measure the build in DIR (its dist/main.js) instead of this checkout
  --no-build              do not run npm run build first
  --out FILE              where to write the results (bench/results/<date>-<host>.json)
  --tool wrk|autocannon   force a load generator
  --help                  show this help

docs/benchmarks.md describes the method.`;

const SCENARIOS = [
  "share",
  "reveal",
  "cycle",
  "metadata",
  "status",
  "v2-share",
  "v2-reveal",
  "v2-file-share",
  "zk-share",
  "zk-reveal",
];

/** The command line, checked before anything starts: a bad flag gets one line and the usage, exit 2. */
function parseFlags(argv: string[]) {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv);
  } catch (err) {
    const message = (err as Error).message;
    usageError(/^[^.]*/.exec(message)?.[0] ?? message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length > 0) usageError(`unexpected argument: ${positionals[0]}`);
  if (values.quick) Object.assign(values, { duration: "1", connections: "64", "no-extras": true });
  if (!(Number(values.duration) > 0)) usageError("--duration must be a number of seconds above 0");
  for (const name of ["scale-live", "long-requests"] as const) {
    if (!/^[1-9]\d*$/.test(values[name])) usageError(`--${name} must be a whole number above 0`);
  }
  if (!values.connections.split(",").every((c) => /^[1-9]\d*$/.test(c))) {
    usageError("--connections must be whole numbers above 0, separated by commas");
  }
  const badStore = values.stores.split(",").find((s) => s !== "sqlite" && s !== "redis");
  if (badStore !== undefined) usageError(`unknown store: ${badStore} (sqlite, redis)`);
  const badScenario = values.scenarios.split(",").find((s) => !SCENARIOS.includes(s));
  if (badScenario !== undefined) usageError(`unknown scenario: ${badScenario} (${SCENARIOS.join(", ")})`);
  const badEnv = values.env.find((kv) => kv.indexOf("=") < 1);
  if (badEnv !== undefined) usageError(`--env takes KEY=VALUE, not ${badEnv}`);
  if (values.tool !== undefined && values.tool !== "wrk" && values.tool !== "autocannon") {
    usageError("--tool must be wrk or autocannon");
  }
  return values;
}

function parseWith(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      duration: { type: "string", default: "8" },
      connections: { type: "string", default: "1,16,64" },
      stores: { type: "string", default: "sqlite,redis" },
      scenarios: { type: "string", default: SCENARIOS.join(",") },
      "no-extras": { type: "boolean", default: false },
      "no-limited": { type: "boolean", default: false },
      "no-stages": { type: "boolean", default: false },
      "no-table": { type: "boolean", default: false },
      scale: { type: "boolean", default: false },
      "scale-live": { type: "string", default: "1000000" },
      long: { type: "boolean", default: false },
      "long-requests": { type: "string", default: "1000000" },
      env: { type: "string", multiple: true, default: [] },
      profile: { type: "string" },
      "server-dir": { type: "string" },
      "no-build": { type: "boolean", default: false },
      out: { type: "string" },
      tool: { type: "string" },
      quick: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

function usageError(problem: string): never {
  console.error(`bench: ${problem}\n\n${USAGE}`);
  process.exit(2);
}

const flags = parseFlags(process.argv.slice(2));
const seconds = Number(flags.duration);
const connectionCounts = flags.connections.split(",").map(Number);
const wanted = flags.scenarios.split(",");
const serverDir = flags["server-dir"] ?? ROOT;
const extraEnv = Object.fromEntries(
  flags.env.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]),
);
const secret = randomBytes(32).toString("hex");
const work = mkdtempSync(join(tmpdir(), "onetime-bench-keys-"));
let redis: RedisServer | null = null;
/** Rows that went wrong in a way that voids them (a rate-limited row that was refused): exit 1. */
const failures: string[] = [];

async function main(): Promise<void> {
  if (!flags["no-build"]) {
    console.error("bench: building the server (npm run build)");
    execFileSync("npm", ["run", "--silent", "build"], { cwd: serverDir, stdio: "inherit" });
  }
  const forced = flags.tool === "wrk" || flags.tool === "autocannon" ? flags.tool : undefined;
  console.error(`bench: load generator ${loadTool(forced)}, ${seconds} s per run`);
  const stores: Record<string, Record<string, string>> = {};
  for (const store of flags.stores.split(",")) {
    if (store === "sqlite") stores.sqlite = { ...extraEnv };
    if (store === "redis" && hasRedis()) {
      redis = await startRedis();
      stores.redis = { ...extraEnv, REDIS_URL: redis.url };
    }
  }
  const rows: Row[] = [];
  if (!flags["no-table"]) {
    const ceiling = await ceilingRows(rows);
    for (const [store, env] of Object.entries(stores)) rows.push(...(await storeRows(store, env, ceiling)));
    console.log(`\n${formatTable(rows)}\n`);
  }
  const context: ExtrasContext = { secret, seconds, serverDir, work, stores };
  const extras: Record<string, unknown> = {};
  if (!flags["no-stages"]) {
    console.error("bench: CPU per stage (share and reveal, 64 connections, rate limits on, --cpu-prof)");
    const dir = flags.profile === undefined ? join(work, "profiles") : join(flags.profile, "stages");
    const columns = await stagesRun(context, dir, flags.quick ? 6_000 : 15_000);
    extras.stages = columns;
    console.log(`\n${formatStageTable(columns)}\n`);
  }
  if (!flags["no-extras"]) {
    console.error("bench: 50 passphrase reveals in flight against /status");
    extras.passphrase = await passphraseRun(context);
    console.log(JSON.stringify(extras.passphrase, null, 2));
    console.error("bench: one worker against one per core");
    extras.workers = await workersRun(context);
    console.log(`\n${formatTable(extras.workers as Row[])}\n`);
  }
  if (flags.scale) {
    const live = Number(flags["scale-live"]);
    extras.scale = await scaleRun({ ...context, live, expiring: 100_000 });
    console.log(JSON.stringify(extras.scale, null, 2));
  }
  if (flags.long) {
    extras.long = await longRun(context, Number(flags["long-requests"]));
    console.log(JSON.stringify(extras.long, null, 2));
  }
  const date = new Date().toISOString();
  const result = {
    date,
    host: hostname(),
    node: process.version,
    cpus: cpus().length,
    tool: loadTool(),
    secondsPerRun: seconds,
    env: extraEnv,
    rows,
    extras,
  };
  const out = flags.out ?? join(ROOT, "bench/results", `${date.slice(0, 10)}-${hostname()}.json`);
  mkdirSync(join(out, ".."), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.error(`bench: wrote ${out}`);
  if (failures.length > 0) {
    console.error(`bench: ${failures.length} row(s) failed:\n  ${failures.join("\n  ")}`);
    process.exitCode = 1;
  }
}

/** The raw node:http ceiling at each connection count, with the body a share sends. */
async function ceilingRows(rows: Row[]): Promise<Map<number, number>> {
  const ceiling = new Map<number, number>();
  const raw = await startRaw(serverDir);
  const rawShare = { mode: "fixed", method: "POST", path: "/api/v1/share", body: SHARE_BODY } as const;
  try {
    await runLoad(rawShare, { base: raw.base, connections: 16, seconds: 2 });
    for (const c of connectionCounts) {
      const row = await measure(raw, "raw", "form+json", rawShare, c, seconds);
      ceiling.set(c, row.rps);
      rows.push({ ...row, ratio: 1 });
      report(row);
    }
  } finally {
    await raw.stop();
  }
  return ceiling;
}

async function storeRows(
  store: string,
  env: Record<string, string>,
  ceiling: Map<number, number>,
): Promise<Row[]> {
  const profile = (name: string) => (flags.profile === undefined ? undefined : join(flags.profile, name));
  const targets: Target[] = [
    { name: store, server: await startOnetime({ env, secret, cpuProfDir: profile(store), serverDir }) },
  ];
  const rows: Row[] = [];
  try {
    if (!flags["no-limited"]) {
      const limitedEnv = { ...RATE_LIMITED_ENV, ...env };
      const server = await startOnetime({
        env: limitedEnv,
        secret,
        cpuProfDir: profile(`${store}-rl`),
        serverDir,
      });
      targets.push({ name: `${store} rl`, server, limited: true });
    }
    for (const target of targets) {
      // The seeder is setup, not load: it counts against no limit.
      target.seeder = await openSeeder({ ...target.server.env, RATE_LIMIT_ENABLED: "false" }, serverDir);
      target.metadataFile = join(work, `${target.name}-metadata.txt`);
      await target.seeder.seed(5000, { keysFile: target.metadataFile, which: "metadata" });
      // Warm up: JIT, the SQLite page cache, the Redis connection.
      await runLoad(scenarios("", "").share as never, {
        base: target.server.base,
        connections: 16,
        seconds: 2,
      });
    }
    for (const name of wanted) {
      for (const c of connectionCounts) {
        // Each row without limits is followed by the same row with them, so the two share a minute.
        for (const target of targets) rows.push(await targetRow(target, name, c, rows, ceiling));
      }
    }
  } finally {
    for (const target of targets) {
      await target.seeder?.close();
      await target.server.stop();
    }
  }
  return rows;
}

interface Target {
  name: string;
  server: BenchServer;
  /** Rate limits on (raised): the row fails if the server refuses anything during it. */
  limited?: boolean;
  seeder?: Seeder;
  metadataFile?: string;
}

async function targetRow(target: Target, name: string, c: number, rows: Row[], ceiling: Map<number, number>) {
  const keysFile = join(work, `${target.name}-${c}.txt`);
  const reveals = name === "reveal" || name === "v2-reveal" || name === "zk-reveal";
  const client =
    name === "zk-reveal"
      ? { blob: ZK_SECRET.blob, proof: ZK_SECRET.proof, kdf: null, hasFile: false as const }
      : undefined;
  if (reveals) await target.seeder?.seed(revealKeysNeeded(rows, c), { keysFile, concurrency: 64, client });
  const all = scenarios("", target.metadataFile ?? "");
  const scenario = reveals ? { ...all[name], keysFile } : all[name];
  if (scenario === undefined) throw new Error(`unknown scenario ${name}`);
  const refusedBefore = target.limited ? await refusals(target.server) : 0;
  const row = await measure(target.server, target.name, name, scenario as never, c, seconds);
  row.ratio = row.rps / (ceiling.get(c) ?? Number.NaN);
  if (target.limited) {
    row.refused = (await refusals(target.server)) - refusedBefore;
    if (row.refused > 0) {
      failures.push(`${target.name} ${name} c=${c}: ${row.refused} requests refused by a rate limit (429)`);
      console.error(
        `bench: FAILED ROW: ${failures.at(-1)}; the limits must be raised for this row to mean anything`,
      );
    }
  }
  report(row);
  return row;
}

/**
 * Enough one-time keys that the run cannot run out: 4× the share rate (a reveal costs less), at
 * least 12,000 a second (6,000 in a --quick run). A run that still runs out says so in its errors column.
 */
function revealKeysNeeded(rows: Row[], connections: number): number {
  const share = rows.find((r) => r.scenario === "share" && r.connections === connections);
  return Math.ceil(Math.max(4 * (share?.rps ?? 0), flags.quick ? 6_000 : 12_000) * (seconds + 1));
}

function hasRedis(): boolean {
  try {
    execFileSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" });
    return true;
  } catch {
    console.error("bench: redis-server not found; measuring SQLite only");
    return false;
  }
}

function report(r: Row): void {
  const refused = r.refused ? `, ${r.refused} refused by a rate limit` : "";
  const problems =
    r.errors + r.exhausted > 0 || refused
      ? ` (${r.errors} errors, ${r.exhausted} past the keys${refused})`
      : "";
  console.error(
    `  ${r.target} ${r.scenario} c=${r.connections}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99Ms.toFixed(2)} ms${problems}`,
  );
}

try {
  await main();
} finally {
  (redis as RedisServer | null)?.kill();
  rmSync(work, { recursive: true, force: true });
}
