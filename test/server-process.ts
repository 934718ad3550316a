// Real server processes for multi-process tests: `node --import tsx src/main.ts` on a free port,
// resolved once it answers, plus small fetch helpers that return status, headers and JSON body.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./ports.js";

export interface Server {
  base: string;
  /** SIGTERM (SIGKILL after 10 s), then remove the data directory if it was the process's own. */
  stop(): Promise<void>;
  /** SIGKILL and wait for the exit: a crash. The data directory stays. */
  kill(): Promise<void>;
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Starts a server process with `env` (SECRET and the rest; LOG_LEVEL=warn unless given). Without a
 * DATA_DIR it gets a temporary one of its own, removed on stop.
 */
export async function startServerProcess(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const ownDir = env.DATA_DIR === undefined ? mkdtempSync(join(tmpdir(), "onetime-node-")) : null;
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      LOG_LEVEL: "warn",
      ...(ownDir === null ? {} : { DATA_DIR: ownDir }),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base,
    stop: async () => {
      await stopProcess(child);
      if (ownDir !== null) rmSync(ownDir, { recursive: true, force: true });
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) {
      await server.stop();
      throw new Error(`server exited (${child.exitCode}):\n${output}`);
    }
    try {
      const res = await fetch(`${base}/api/v1/status`);
      if (res.status === 200) return server;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await server.stop();
  throw new Error(`server did not answer /api/v1/status:\n${output}`);
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
