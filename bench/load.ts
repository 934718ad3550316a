import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { runAutocannon } from "./load-autocannon.js";
import { ROOT } from "./servers.js";

// The load generator. wrk (C, one thread) is preferred: on a 2-core machine a Node load generator
// takes a core from the server it measures. When wrk is missing it is installed from Debian when we
// are root; otherwise autocannon (a devDependency) drives the same scenarios.

export interface Scenario {
  /** fixed: one request; keys: a fresh key each time; loop: keys reused; cycle: share then reveal. */
  mode: "fixed" | "keys" | "loop" | "cycle";
  method: "GET" | "POST";
  path: string;
  body?: string;
  /** One key per line, appended to `path` (keys and loop modes). */
  keysFile?: string;
  /** Appended after the key (API v2's `/reveal`). */
  suffix?: string;
}

export interface LoadResult {
  tool: "wrk" | "autocannon";
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than 2xx/3xx, plus socket errors and timeouts. */
  errors: number;
  /** Reveals that returned a value (cycle mode). */
  revealed: number;
  /** Requests sent after the key file ran out (keys mode): the run needed more seeded secrets. */
  exhausted: number;
}

export interface LoadOptions {
  base: string;
  connections: number;
  seconds: number;
}

let tool: "wrk" | "autocannon" | undefined;

/** The load generator of this run: wrk when present or installable, else autocannon (or as forced). */
export function loadTool(forced?: "wrk" | "autocannon"): "wrk" | "autocannon" {
  tool ??= forced ?? (findWrk() ? "wrk" : "autocannon");
  return tool;
}

export async function runLoad(scenario: Scenario, options: LoadOptions): Promise<LoadResult> {
  return loadTool() === "wrk" ? runWrk(scenario, options) : runAutocannon(scenario, options);
}

function findWrk(): boolean {
  if (has("wrk")) return true;
  if (process.getuid?.() !== 0 || !has("apt-get")) return false;
  console.error("bench: wrk is missing; installing it with apt-get");
  for (const args of [["install", "-y", "wrk"], ["update"], ["install", "-y", "wrk"]]) {
    try {
      execFileSync("apt-get", args, {
        stdio: "ignore",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch {
      // the first install fails on a machine whose package lists were never fetched
    }
    if (args[0] === "install" && has("wrk")) return true;
  }
  console.error("bench: could not install wrk; using autocannon");
  return false;
}

function has(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

async function runWrk(scenario: Scenario, { base, connections, seconds }: LoadOptions): Promise<LoadResult> {
  const args = [
    "-t1",
    `-c${connections}`,
    `-d${seconds}s`,
    "--timeout",
    "10s",
    "-s",
    join(ROOT, "bench/wrk/load.lua"),
    base,
    "--",
    scenario.mode,
    scenario.method,
    scenario.path,
    scenario.body ?? "",
    scenario.keysFile ?? "",
    "1",
    scenario.suffix ?? "",
  ];
  const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr.on("data", (chunk) => {
    out += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  const line = out.split("\n").find((l) => l.startsWith("BENCH "));
  if (code !== 0 || line === undefined) throw new Error(`wrk failed (${code}): ${out}`);
  const r = JSON.parse(line.slice(6)) as Record<string, number>;
  const secs = (r.duration_us ?? 0) / 1e6;
  const requests = r.requests ?? 0;
  return {
    tool: "wrk",
    requests,
    seconds: secs,
    rps: requests / secs,
    p50Ms: (r.p50_us ?? 0) / 1000,
    p99Ms: (r.p99_us ?? 0) / 1000,
    maxMs: (r.max_us ?? 0) / 1000,
    errors: (r.status_errors ?? 0) + (r.socket_errors ?? 0),
    revealed: r.revealed ?? 0,
    exhausted: r.exhausted ?? 0,
  };
}
