// Principle 1: a secret is read at most once, however many readers race — in one process, and across
// two server processes sharing one SQLite data directory. A reveal racing a burn has one winner too,
// and the receipt records which.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { makeTestApp, postForm, share, type TestApp } from "./helpers.js";

const READERS = 64;
const UNKNOWN = "Unknown secret";

describe("exactly once, in process", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
  });
  after(() => t.close());

  for (const passphrase of [undefined, "correct horse battery staple"]) {
    const kind = passphrase === undefined ? "a secret" : "a passphrase secret";
    test(`${READERS} concurrent reveals of ${kind}: one gets the value, the rest are told it is unknown`, async () => {
      const value = `plain-${crypto.randomUUID()}`;
      const created = await share(
        t.app,
        passphrase === undefined ? { secret: value } : { secret: value, passphrase },
      );
      const form: Record<string, string> = passphrase === undefined ? {} : { passphrase };
      const answers = await Promise.all(
        Array.from({ length: READERS }, () => postForm(t.app, `/secret/${created.secret_key}`, form)),
      );
      const winners = answers.filter((a) => a.statusCode === 200);
      assert.equal(winners.length, 1);
      assert.equal(winners[0]?.json().value, value);
      for (const loser of answers.filter((a) => a.statusCode !== 200)) {
        assert.equal(loser.statusCode, 404);
        assert.deepEqual(loser.json(), { message: UNKNOWN, secret_key: created.secret_key });
      }
      const receipt = await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` });
      assert.equal(receipt.json().state, "received");
    });
  }

  test("reveal racing burn: exactly one wins and the receipt says which (30 secrets)", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const created = await share(t.app, { secret: `plain-${i}-${crypto.randomUUID()}` });
        const reveal = () => postForm(t.app, `/secret/${created.secret_key}`);
        const burn = () => postForm(t.app, `/private/${created.metadata_key}/burn`);
        const [revealed, burned] =
          i % 2 === 0
            ? await Promise.all([reveal(), burn()])
            : (await Promise.all([burn(), reveal()])).reverse();
        const receipt = await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` });
        return {
          revealed: revealed?.statusCode === 200,
          burned: burned?.statusCode === 200,
          state: receipt.json().state,
        };
      }),
    );
    for (const { revealed, burned, state } of outcomes) {
      assert.equal(revealed !== burned, true, "exactly one of reveal and burn succeeds");
      assert.equal(state, revealed ? "received" : "burned");
    }
  });
});

describe("exactly once, two server processes on one data directory", () => {
  const SECRET = "exactly-once-root-secret-0123456789abcdef";
  let dataDir: string;
  let servers: Server[] = [];

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "onetime-two-procs-"));
    servers = await Promise.all([startProcess(dataDir, SECRET), startProcess(dataDir, SECRET)]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  test("30 secrets, 20 racing reveals each split across both: one 200 per secret", async () => {
    const created = [];
    for (let i = 0; i < 30; i++) {
      const value = `plain-${i}-${crypto.randomUUID()}`;
      const res = await post(pick(servers, i), "/share", { secret: value });
      assert.equal(res.status, 200);
      created.push({ value, key: String(res.body.secret_key), metadataKey: String(res.body.metadata_key) });
    }
    for (const { value, key, metadataKey } of created) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, j) => post(pick(servers, j), `/secret/${key}`)),
      );
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, `one reader of ${key}`);
      assert.equal(winners[0]?.body.value, value);
      for (const loser of answers.filter((a) => a.status !== 200)) {
        assert.equal(loser.status, 404);
        assert.deepEqual(loser.body, { message: UNKNOWN, secret_key: key });
      }
      const receipt = await get(pick(servers, 1), `/private/${metadataKey}`);
      assert.equal(receipt.body.state, "received");
    }
  });

  test("reveals racing burns across both processes: one winner, and the receipt says which", async () => {
    for (let i = 0; i < 30; i++) {
      const res = await post(pick(servers, i), "/share", { secret: `plain-${i}-${crypto.randomUUID()}` });
      const key = String(res.body.secret_key);
      const metadataKey = String(res.body.metadata_key);
      // Five reveals and five burns, interleaved and spread over both processes.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          j % 2 === 0
            ? post(pick(servers, j + i), `/secret/${key}`).then((a) => ({ ...a, op: "reveal" }))
            : post(pick(servers, j + i), `/private/${metadataKey}/burn`).then((a) => ({ ...a, op: "burn" })),
        ),
      );
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, `one winner for ${key}`);
      for (const loser of answers.filter((a) => a.status !== 200)) {
        assert.equal(loser.status, 404);
        assert.equal(loser.body.message, UNKNOWN);
      }
      const state = (await get(pick(servers, i + 1), `/private/${metadataKey}`)).body.state;
      assert.equal(state, winners[0]?.op === "reveal" ? "received" : "burned");
    }
  });
});

interface Server {
  base: string;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

function pick(servers: Server[], i: number): Server {
  const server = servers[i % servers.length];
  if (server === undefined) throw new Error("no server");
  return server;
}

async function post(server: Server, path: string, form: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${server.base}/api/v1${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function get(server: Server, path: string): Promise<Answer> {
  const res = await fetch(`${server.base}/api/v1${path}`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** `node --import tsx src/main.ts` on a free port, resolved once it answers /api/v1/status. */
async function startProcess(dataDir: string, secret: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      DATA_DIR: dataDir,
      SECRET: secret,
      RATE_LIMIT_ENABLED: "false",
      LOG_LEVEL: "warn",
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
  const server = { base, stop: () => stopProcess(child) };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
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

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
