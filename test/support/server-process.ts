// Real server processes for multi-process tests: src/main.ts, compiled to JavaScript
// (support/compiled.ts), on a free port, resolved once it logs that it listens, plus small fetch
// helpers that return status, headers and JSON body.
import { type ChildProcess, spawn } from "node:child_process";
import { type EventEmitter, once } from "node:events";
import { fileURLToPath } from "node:url";
import { compiled } from "./compiled.js";
import { freePort } from "./ports.js";
import { tempDir } from "./temp.js";

export interface Server {
  base: string;
  /** SIGTERM (SIGKILL after 10 s), then remove the data directory if it was the process's own. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: a crash. The data directory stays. */
  kill(): Promise<void>;
  /** What the process wrote so far (stdout and stderr): the last 64 kB at least, all of it with `keepOutput`. */
  output(): string;
  /** Emits "data" each time the process writes: `waitFor`'s event for a log line. */
  outputEvents: EventEmitter;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The end of the process's output kept for error messages. */
const OUTPUT_TAIL = 64 * 1024;

/**
 * Starts a server process with `env` (SECRET and the rest) and resolves when it logs "onetime
 * listening", however long that takes; rejects if it exits first. It logs at `info` (a line per
 * request), since that start-up line is an `info` one. Without a DATA_DIR it gets a temporary one of
 * its own, removed on stop. With `keepOutput`, all its output is kept for output() (to search its logs).
 */
export async function startServerProcess(
  env: Record<string, string>,
  { keepOutput = false }: { keepOutput?: boolean } = {},
): Promise<Server> {
  if (env.LOG_LEVEL !== undefined && !["trace", "debug", "info"].includes(env.LOG_LEVEL)) {
    throw new Error(`LOG_LEVEL=${env.LOG_LEVEL} would hide the "onetime listening" line`);
  }
  const port = await freePort();
  const ownDir = env.DATA_DIR === undefined ? tempDir("onetime-node-") : null;
  const child = spawn(process.execPath, [compiled("src/main.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      ...(ownDir === null ? {} : { DATA_DIR: ownDir.path }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Both pipes are read to the end, so a chatty child never blocks on a full pipe.
  let output = "";
  let whole = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
    if (keepOutput) whole += chunk.toString();
    if (output.length > 2 * OUTPUT_TAIL) output = output.slice(-OUTPUT_TAIL);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const listening = new Promise<boolean>((resolve) => {
    let partial = "";
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split("\n");
      partial = lines.pop() ?? "";
      if (lines.some((line) => line.includes('"msg":"onetime listening"'))) {
        child.stdout?.off("data", onData);
        resolve(true);
      }
    };
    child.stdout?.on("data", onData);
    child.once("exit", () => resolve(false));
  });
  const base = `http://127.0.0.1:${port}`;
  const server: Server = {
    base,
    output: () => (keepOutput ? whole : output),
    outputEvents: child.stdout as EventEmitter,
    stop: async () => {
      await stopProcess(child);
      ownDir?.remove();
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
  if (await listening) return server;
  await server.stop();
  throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before listening:\n${output}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** The i-th server, round robin. */
export function pick(servers: Server[], i: number): Server {
  const server = servers[i % servers.length];
  if (server === undefined) throw new Error("no server");
  return server;
}

export async function post(server: Server, path: string, form: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${server.base}/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

export async function get(server: Server, path: string): Promise<Answer> {
  const res = await fetch(`${server.base}/api/v1${path}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}
