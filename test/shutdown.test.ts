// Graceful shutdown of the real process: SIGTERM stops accepting connections at once, lets a request
// already in flight finish with its answer, drops idle keep-alive sockets, and exits with status 0.
// Every step waits on what the process does (a log line, a socket closed by the server, its exit),
// never on time, so a slow machine only makes the test slower.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import type { Socket } from "node:net";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { compiled } from "./support/compiled.js";
import { TEST_SECRET } from "./support/helpers.js";
import { freePort, tryConnect } from "./support/ports.js";
import { tempDir } from "./support/temp.js";

const ROOT = join(import.meta.dirname, "..");

test("SIGTERM lets an in-flight request finish, refuses new connections, exits 0", async (t) => {
  const { port, child, exited, log } = await startChild(t);

  // An idle keep-alive socket must not hold the shutdown open until its timeout.
  const keepAlive = new http.Agent({ keepAlive: true });
  t.after(() => keepAlive.destroy());
  const warm = await send({ port, agent: keepAlive, path: "/healthz", method: "GET" });
  assert.equal(warm.status, 200);
  const idleClosed = once(warm.socket, "close");

  // A passphrase share (argon2 hashing) whose body is held back until the shutdown has begun.
  const body = new URLSearchParams({
    secret: "in flight",
    passphrase: "correct horse",
    ttl: "3600",
  }).toString();
  const inFlight = await startShare(port, body);
  inFlight.req.write(body.slice(0, 10));

  child.kill("SIGTERM");
  await log.line("shutting down");
  // The server drops its idle sockets and closes its listener in one step (http.Server.close):
  // once the idle socket is closed, a new connection must be refused.
  await idleClosed;
  await refusedNow(port);

  inFlight.req.end(body.slice(10));
  const answer = await inFlight.response;
  assert.equal(answer.status, 200);
  const created = JSON.parse(answer.body) as { secret_key: string; passphrase_required: boolean };
  assert.match(created.secret_key, /^[a-z0-9]+$/);
  assert.equal(created.passphrase_required, true);

  assert.equal(await exited, 0);
  await assert.rejects(tryConnect(port), { code: "ECONNREFUSED" });
});

test("a request that never finishes does not hold the process past SHUTDOWN_TIMEOUT", async (t) => {
  const { port, child, exited, log } = await startChild(t, { SHUTDOWN_TIMEOUT: "1" });
  const inFlight = await startShare(port, "secret=never-finished");
  inFlight.response.catch(() => {}); // the socket dies with the process
  child.kill("SIGTERM");
  await log.line("shutdown timed out; exiting with requests in flight");
  assert.equal(await exited, 1);
  inFlight.req.destroy();
});

async function startChild(t: TestContext, env: Record<string, string> = {}) {
  const dir = tempDir("onetime-shutdown-");
  const dataDir = dir.path;
  const port = await freePort();
  const child = spawn(process.execPath, [compiled("src/main.ts")], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      DATA_DIR: dataDir,
      SECRET: TEST_SECRET,
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  t.after(() => {
    child.kill("SIGKILL");
    dir.remove();
  });
  const log = watchLog(child);
  await log.line("onetime listening");
  return { port, child, exited, log };
}

/** A share whose headers the server has taken in ("100 Continue"); the caller sends the body. */
async function startShare(port: number, body: string) {
  const req = http.request({
    port,
    host: "127.0.0.1",
    method: "POST",
    path: "/api/v1/share",
    agent: false,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": Buffer.byteLength(body),
      expect: "100-continue",
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.once("response", (res) => collect(res).then(resolve, reject));
    req.once("error", reject);
  });
  await new Promise<void>((resolve) => req.once("continue", resolve));
  return { req, response };
}

/**
 * The `msg` of every JSON log line the child writes, read from the start: `line(msg)` resolves as
 * soon as such a line has been written (before or after the call), and rejects if the child exits
 * without writing it.
 */
function watchLog(child: ChildProcess) {
  const seen = new Set<string>();
  const waiting: { msg: string; resolve: () => void }[] = [];
  let buffered = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
      if (msg === undefined) continue;
      seen.add(msg);
      for (const w of waiting.filter((w) => w.msg === msg)) w.resolve();
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    line(msg: string): Promise<void> {
      if (seen.has(msg)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        waiting.push({ msg, resolve });
        exit.then((code) => reject(new Error(`exited (${code}) before "${msg}"`)));
      });
    },
  };
}

/**
 * A new connection is refused. A connection that is accepted, or reset because the listener closed
 * while it was being set up, can only come from a listener still closing: try again at once, since
 * the listener closes in the same step as the idle sockets. Each attempt waits for its socket's answer.
 */
async function refusedNow(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const code = await tryConnect(port).then(
      () => "accepted",
      (err: NodeJS.ErrnoException) => err.code,
    );
    if (code === "ECONNREFUSED") return;
    assert.ok(code === "accepted" || code === "ECONNRESET", `unexpected ${code}`);
  }
  assert.fail("the server kept accepting connections after it dropped its idle sockets");
}

function send(options: http.RequestOptions): Promise<{ status: number; body: string; socket: Socket }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", ...options }, (res) => {
      const socket = res.socket; // taken now: a kept-alive socket is detached once the answer is read
      collect(res).then((answer) => resolve({ ...answer, socket }), reject);
    });
    req.once("error", reject);
    req.end();
  });
}

async function collect(res: http.IncomingMessage): Promise<{ status: number; body: string }> {
  let body = "";
  for await (const chunk of res) body += chunk;
  return { status: res.statusCode ?? 0, body };
}
