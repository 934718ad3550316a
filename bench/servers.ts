import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { freePort } from "../test/support/ports.js";

// Server processes under load: the built onetime server (`node dist/main.js`, as `npm start` runs
// it) and the raw node:http ceiling. Each on a free loopback port, resolved once it answers.

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface BenchServer {
  base: string;
  pid: number;
  /** DATA_DIR of a onetime server (its SQLite file lives there). */
  dataDir: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface OnetimeOptions {
  /** Extra environment (REDIS_URL, WORKERS…). SECRET and rate limits off are always set. */
  env?: Record<string, string>;
  secret: string;
  /** Write a V8 CPU profile into this directory when the server exits. */
  cpuProfDir?: string;
  dataDir?: string;
  /** Where dist/main.js is: this checkout by default. */
  serverDir?: string;
}

/**
 * The default per-IP rate limits switched on, each raised far above what one run can send from its
 * one address: every request still counts in the store, none is refused. The metrics token lets the
 * bench read onetime_rate_limit_hits_total to prove it.
 */
export const METRICS_TOKEN = "bench-metrics-token-0123456789";
export const RATE_LIMITED_ENV: Record<string, string> = {
  RATE_LIMIT_ENABLED: "true",
  RATE_LIMIT_CREATE: "1000000000",
  RATE_LIMIT_REVEAL: "1000000000",
  RATE_LIMIT_METADATA: "1000000000",
  RATE_LIMIT_BURN: "1000000000",
  RATE_LIMIT_STATUS: "1000000000",
  METRICS_TOKEN,
};

/** Requests the server refused by a rate limit or lock so far (needs METRICS_TOKEN in its env). */
export async function refusals(server: BenchServer): Promise<number> {
  const res = await fetch(`${server.base}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const text = await res.text();
  const count = /^onetime_rate_limit_hits_total (\d+)/m.exec(text)?.[1];
  if (!res.ok || count === undefined)
    throw new Error(`bench: /metrics answered ${res.status} without the refusal count`);
  return Number(count);
}

/** The real server, with rate limits off (one client IP would hit them at once) and defaults otherwise. */
export async function startOnetime({
  env = {},
  secret,
  cpuProfDir,
  dataDir,
  serverDir = ROOT,
}: OnetimeOptions): Promise<BenchServer> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), "onetime-bench-"));
  const port = await freePort();
  const fullEnv = {
    PORT: String(port),
    BIND_ADDRESS: "127.0.0.1",
    DATA_DIR: dir,
    SECRET: secret,
    RATE_LIMIT_ENABLED: "false",
    ...env,
  };
  const flags = cpuProfDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${cpuProfDir}`];
  const child = spawn(process.execPath, [...flags, "dist/main.js"], {
    cwd: serverDir,
    env: { ...process.env, ...fullEnv },
    // Request lines (LOG_LEVEL=info by default) are written as in production, to /dev/null here.
    stdio: ["ignore", "ignore", "pipe"],
  });
  const server = await ready(child, `http://127.0.0.1:${port}`, "/api/v1/status");
  return {
    ...server,
    dataDir: dir,
    env: fullEnv,
    async stop() {
      await server.stop();
      if (dataDir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startRaw(serverDir = ROOT): Promise<BenchServer> {
  const port = await freePort();
  const source = readFileSync(join(ROOT, "bench/raw-server.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const script = join(mkdtempSync(join(tmpdir(), "onetime-bench-raw-")), "raw-server.mjs");
  writeFileSync(script, outputText);
  const bodyModule = pathToFileURL(join(serverDir, "dist/http/body.js")).href;
  const child = spawn(process.execPath, [script], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), BODY_MODULE: bodyModule },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return { ...(await ready(child, `http://127.0.0.1:${port}`, "/")), dataDir: "", env: {} };
}

async function ready(child: ChildProcess, base: string, path: string) {
  let errors = "";
  child.stderr?.on("data", (chunk) => {
    errors += chunk;
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${errors}`);
    try {
      if ((await fetch(`${base}${path}`)).ok) return { base, pid: child.pid ?? 0, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`server did not answer ${path}: ${errors}`);
}
