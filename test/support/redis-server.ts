// A real redis-server for tests, on a free port, with nothing on disk unless asked. Never 6379.
import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "./ports.js";
import { tempDir } from "./temp.js";

export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  process: ChildProcess;
  /** SIGKILL, and remove the directory unless the caller gave it. */
  kill(): void;
  /** SIGKILL and wait for the exit, keeping the directory (AOF) for a restart. */
  crash(): Promise<void>;
}

export interface RedisPlacement {
  /** Reuse a port (a restart); a free one by default. */
  port?: number;
  /** Reuse a directory (its AOF); a new temporary one by default. */
  dir?: string;
}

/** AOF on, fsync on every write: an acknowledged write survives kill -9. */
export const AOF_ALWAYS = ["--appendonly", "yes", "--appendfsync", "always"];

export async function startRedis(
  extraArgs: string[] = [],
  placement: RedisPlacement = {},
): Promise<RedisServer> {
  const port = placement.port ?? (await freePort());
  // A directory the caller gave is the caller's to keep (a restart reuses its AOF).
  const { path: dir, remove } =
    placement.dir === undefined ? tempDir("onetime-redis-") : { path: placement.dir, remove() {} };
  const child = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
      "--dir",
      dir,
      ...extraArgs,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10_000);
    child.stdout?.on("data", (chunk) => {
      out += String(chunk);
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${out}`)));
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    process: child,
    kill() {
      child.kill("SIGKILL");
      remove();
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
