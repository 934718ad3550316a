// Graceful shutdown of the real process: SIGTERM stops accepting connections at once, lets a request
// already in flight finish with its answer, drops idle keep-alive sockets, and exits with status 0.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type TestContext, test } from "node:test";
import { TEST_SECRET } from "./helpers.js";
import { freePort, tryConnect } from "./ports.js";

test("SIGTERM lets an in-flight request finish, refuses new connections, exits 0", async (t) => {
  const { port, child, exited } = await startChild(t);

  // An idle keep-alive socket must not hold the shutdown open until its timeout.
  const keepAlive = new http.Agent({ keepAlive: true });
  t.after(() => keepAlive.destroy());
  const warm = await send({ port, agent: keepAlive, path: "/healthz", method: "GET" });
  assert.equal(warm.status, 200);

  // A passphrase share (argon2 hashing) whose body is held back until the shutdown has begun.
  const body = new URLSearchParams({
    secret: "in flight",
    passphrase: "correct horse",
    ttl: "3600",
  }).toString();
  const inFlight = await startShare(port, body);
  inFlight.req.write(body.slice(0, 10));

  child.kill("SIGTERM");
  await logLine(child, "shutting down");
  await refusedEventually(port);

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
  const { port, child, exited } = await startChild(t, { SHUTDOWN_TIMEOUT: "1" });
  const inFlight = await startShare(port, "secret=never-finished");
  inFlight.response.catch(() => {}); // the socket dies with the process
  child.kill("SIGTERM");
  await logLine(child, "shutdown timed out; exiting with requests in flight");
  assert.equal(await exited, 1);
  inFlight.req.destroy();
});

async function startChild(t: TestContext, env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "onetime-shutdown-"));
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      DATA_DIR: dataDir,
      SECRET: TEST_SECRET,
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  t.after(() => {
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });
  await logLine(child, "onetime listening");
  return { port, child, exited };
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

/** Resolves when the child writes a JSON log line whose msg is `msg`. */
function logLine(child: ChildProcess, msg: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered = "";
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      if (lines.some((l) => l.includes(`"msg":"${msg}"`))) {
        child.stdout?.off("data", onData);
        child.off("exit", onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) => reject(new Error(`exited (${code}) before "${msg}"`));
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}

/** The listener closes as the shutdown starts; poll until a connection is refused. */
async function refusedEventually(port: number): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      await tryConnect(port);
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, "ECONNREFUSED");
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail("the server kept accepting connections after SIGTERM");
}

function send(options: http.RequestOptions): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", ...options }, (res) => collect(res).then(resolve, reject));
    req.once("error", reject);
    req.end();
  });
}

async function collect(res: http.IncomingMessage): Promise<{ status: number; body: string }> {
  let body = "";
  for await (const chunk of res) body += chunk;
  return { status: res.statusCode ?? 0, body };
}
