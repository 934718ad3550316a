// WORKERS > 1: a node:cluster primary forks that many servers onto one port and one data directory.
// The primary makes the root key before forking, the workers share the load, a worker that dies is
// replaced while the others keep serving, and SIGTERM stops them all with status 0.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { test } from "node:test";
import { compiled } from "./support/compiled.js";
import { freePort, tryConnect } from "./support/ports.js";
import { tempDir } from "./support/temp.js";

interface LogLine {
  msg?: string;
  pid?: number;
  workerPid?: number;
  path?: string;
  status?: number;
  [key: string]: unknown;
}

const PAIRS = 200;
const BATCH = 20;

test("WORKERS=2: one key, both workers serve, a killed worker is replaced, SIGTERM exits 0", async (t) => {
  const dir = tempDir("onetime-workers-");
  const dataDir = dir.path;
  const port = await freePort();
  const env: Record<string, string | undefined> = {
    ...process.env,
    PORT: String(port),
    BIND_ADDRESS: "127.0.0.1",
    DATA_DIR: dataDir,
    WORKERS: "2",
    RATE_LIMIT_ENABLED: "false",
    LOG_LEVEL: "info",
  };
  delete env.SECRET;
  delete env.SECRET_PREVIOUS;
  const child = spawn(process.execPath, [compiled("src/main.ts")], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const logs = new LogWatcher(child);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  t.after(() => {
    // Should the test fail half-way, leave no worker behind.
    for (const pid of logs.pids()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {}
    }
    child.kill("SIGKILL");
    dir.remove();
  });

  const listening = await logs.waitFor(
    (lines) => distinct(lines.filter((l) => l.msg === "onetime listening").map((l) => l.pid)),
    (pids) => pids.length >= 2,
  );
  assert.equal(listening.length, 2);
  assert.ok(!listening.includes(child.pid as number), "the primary serves nothing itself");
  const [first, second] = listening as [number, number];

  // The primary made the key once, before forking; both workers read that one file.
  assert.ok(existsSync(join(dataDir, "secret.key")));
  const generated = logs.lines.filter((l) => l.msg?.startsWith("no SECRET set: generated"));
  assert.equal(generated.length, 1);
  assert.equal(generated[0]?.pid, child.pid);
  const loaded = logs.lines.filter((l) => l.msg === "root key loaded from the data directory");
  assert.deepEqual(distinct(loaded.map((l) => l.pid)).sort(), [first, second].sort());

  // 200 secrets over fresh connections; each is revealed by two racing readers: one gets it.
  await sharePairs(port, PAIRS, "before");
  const requests = await logs.waitFor(
    (lines) => lines.filter((l) => l.msg === "request" && l.path?.startsWith("/api/v1/")),
    (lines) => lines.length >= PAIRS * 3,
  );
  assert.equal(requests.length, PAIRS * 3);
  assert.deepEqual(distinct(requests.map((l) => l.pid)).sort(), [first, second].sort());
  for (const pid of [first, second]) {
    const served = requests.filter((l) => l.pid === pid).length;
    assert.ok(served >= PAIRS / 4, `worker ${pid} served ${served} of ${requests.length} requests`);
  }

  // Kill one worker outright: the primary starts another, and the service carries on.
  process.kill(first, "SIGKILL");
  const restarted = await logs.waitFor(
    (lines) => lines.find((l) => l.msg === "worker exited; starting a new one" && l.workerPid === first),
    (line) => line !== undefined,
  );
  assert.equal(restarted?.signal, "SIGKILL");
  assert.equal(restarted?.pid, child.pid);
  const [third] = await logs.waitFor(
    (lines) =>
      distinct(lines.filter((l) => l.msg === "onetime listening").map((l) => l.pid)).filter(
        (pid) => pid !== first && pid !== second,
      ),
    (pids) => pids.length >= 1,
  );
  assert.equal(typeof third, "number");
  assert.throws(() => process.kill(first, 0), { code: "ESRCH" });

  const before = logs.lines.length;
  await sharePairs(port, 40, "after");
  const later = await logs.waitFor(
    (lines) => lines.slice(before).filter((l) => l.msg === "request" && l.path?.startsWith("/api/v1/")),
    (lines) => lines.length >= 40 * 3,
  );
  assert.deepEqual(distinct(later.map((l) => l.pid)).sort(), [second, third as number].sort());

  // SIGTERM to the primary: every worker shuts down, the primary exits 0, nothing is left.
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
  for (const pid of [second, third as number]) {
    assert.throws(() => process.kill(pid, 0), { code: "ESRCH" }, `worker ${pid} is gone`);
  }
  const shutdowns = logs.lines.filter((l) => l.msg === "shutting down");
  assert.deepEqual(distinct(shutdowns.map((l) => l.pid)).sort(), [child.pid, second, third].sort());
  assert.equal(logs.lines.at(-1)?.msg, "all workers stopped");
  await assert.rejects(tryConnect(port), { code: "ECONNREFUSED" });
});

test("WORKERS must be a count from 1 to 256 or auto", async () => {
  const { loadConfig } = await import("../src/config.js");
  const { availableParallelism } = await import("node:os");
  assert.equal(loadConfig({}).workers, 1);
  assert.equal(loadConfig({ WORKERS: "4" }).workers, 4);
  assert.equal(loadConfig({ WORKERS: "auto" }).workers, Math.min(256, availableParallelism()));
  assert.equal(loadConfig({ WORKERS: "0" }).workers, Math.min(256, availableParallelism()));
  assert.throws(() => loadConfig({ WORKERS: "257" }), /WORKERS must be between 1 and 256/);
  assert.throws(() => loadConfig({ WORKERS: "many" }), /WORKERS must be a number from 1 to 256, or auto/);
  assert.throws(() => loadConfig({ WORKERS: "-1" }), /WORKERS must be a number from 1 to 256, or auto/);
});

/** Shares `count` secrets and reveals each twice at once; exactly one reveal gets the value. */
async function sharePairs(port: number, count: number, tag: string): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    await Promise.all(
      Array.from({ length: Math.min(BATCH, count - start) }, async (_, i) => {
        const value = `${tag}-${start + i}-${crypto.randomUUID()}`;
        const created = await post(port, "/api/v1/share", { secret: value, ttl: "3600" });
        assert.equal(created.status, 200, created.body);
        const { secret_key: key } = JSON.parse(created.body) as { secret_key: string };
        const reveals = await Promise.all([
          post(port, `/api/v1/secret/${key}`, {}),
          post(port, `/api/v1/secret/${key}`, {}),
        ]);
        const statuses = reveals.map((r) => r.status).sort();
        assert.deepEqual(statuses, [200, 404]);
        const winner = reveals.find((r) => r.status === 200);
        assert.equal((JSON.parse(winner?.body ?? "{}") as { value?: string }).value, value);
      }),
    );
  }
}

/** A form POST on a connection of its own (no keep-alive): each one is a new accept. */
function post(port: number, path: string, form: Record<string, string>) {
  const body = new URLSearchParams(form).toString();
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent: false,
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": Buffer.byteLength(body),
        },
      },
      async (res) => {
        let text = "";
        for await (const chunk of res) text += chunk;
        resolve({ status: res.statusCode ?? 0, body: text });
      },
    );
    req.once("error", reject);
    req.end(body);
  });
}

/** Every JSON line the process tree writes on stdout, and a way to wait for a condition on them. */
class LogWatcher {
  readonly lines: LogLine[] = [];
  private buffered = "";
  private readonly waiters = new Set<() => void>();
  private exitCode: number | null | undefined;

  constructor(child: ChildProcess) {
    child.stdout?.on("data", (chunk: Buffer) => {
      this.buffered += chunk.toString();
      const parts = this.buffered.split("\n");
      this.buffered = parts.pop() ?? "";
      for (const part of parts) {
        if (!part.startsWith("{")) continue;
        this.lines.push(JSON.parse(part) as LogLine);
      }
      for (const wake of this.waiters) wake();
    });
    child.once("exit", (code) => {
      this.exitCode = code;
      for (const wake of this.waiters) wake();
    });
  }

  pids(): number[] {
    return distinct(this.lines.map((l) => l.pid));
  }

  /** Resolves with select(lines) once done() holds for it; rejects if the process exits first. */
  waitFor<T>(select: (lines: LogLine[]) => T, done: (selected: T) => boolean): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const selected = select(this.lines);
        if (done(selected)) {
          this.waiters.delete(check);
          resolve(selected);
        } else if (this.exitCode !== undefined) {
          this.waiters.delete(check);
          reject(new Error(`the server exited (${this.exitCode}) while the test was waiting`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }
}

function distinct(values: (number | undefined)[]): number[] {
  return [...new Set(values.filter((v): v is number => typeof v === "number"))];
}
