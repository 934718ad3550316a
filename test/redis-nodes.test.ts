// Several server processes sharing one Redis: what one node stores, another serves; a secret is
// still read at most once however the racing readers (and burners) spread over the nodes; and rate
// limits count across nodes. Real processes (`node --import tsx src/main.ts`), a real redis-server.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { freePort, type RedisServer, startRedis } from "./redis-server.js";

const SECRET = "redis-nodes-root-secret-0123456789abcdef";
const UNKNOWN = "Unknown secret";
const LIMITED = "Cripes! You have been rate limited.";
const READERS = 100;
const ROUNDS = 20;

let redis: RedisServer;
let nodes: Server[] = [];
let limited: Server[] = [];

before(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_ENABLED: "false" };
  const limitedEnv = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: "ratelimited",
    RATE_LIMIT_ENABLED: "true",
    RATE_LIMIT_CREATE: "4",
  };
  const started = await Promise.allSettled([
    startProcess(env),
    startProcess(env),
    startProcess(env),
    startProcess(limitedEnv),
    startProcess(limitedEnv),
  ]);
  const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  nodes = ok.slice(0, 3);
  limited = ok.slice(3);
  const failed = started.find((s) => s.status === "rejected");
  if (failed !== undefined) {
    await Promise.all(ok.map((s) => s.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
});

after(async () => {
  await Promise.all([...nodes, ...limited].map((s) => s.stop()));
  redis?.kill();
});

describe("three server processes on one Redis", () => {
  test("a secret created on node A is revealed on node B, and node C's receipt says received", async () => {
    const [a, b, c] = [pick(nodes, 0), pick(nodes, 1), pick(nodes, 2)];
    const value = `across-${crypto.randomUUID()}`;
    const created = await post(a, "/share", { secret: value });
    assert.equal(created.status, 200);
    const key = String(created.body.secret_key);
    const metadataKey = String(created.body.metadata_key);

    const revealed = await post(b, `/secret/${key}`);
    assert.equal(revealed.status, 200);
    assert.equal(revealed.body.value, value);

    const again = await post(c, `/secret/${key}`);
    assert.equal(again.status, 404);
    assert.deepEqual(again.body, { message: UNKNOWN, secret_key: key });
    assert.equal((await get(c, `/private/${metadataKey}`)).body.state, "received");
  });

  test(`${READERS} concurrent reveals spread over the three nodes: exactly one 200 (${ROUNDS} secrets)`, async () => {
    for (let i = 0; i < ROUNDS; i++) {
      const value = `race-${i}-${crypto.randomUUID()}`;
      const created = await post(pick(nodes, i), "/share", { secret: value });
      assert.equal(created.status, 200);
      const key = String(created.body.secret_key);
      const answers = await Promise.all(
        Array.from({ length: READERS }, (_, j) => post(pick(nodes, i + j), `/secret/${key}`)),
      );
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, `one reader of secret ${i}`);
      assert.equal(winners[0]?.body.value, value);
      for (const loser of answers.filter((a) => a.status !== 200)) {
        assert.equal(loser.status, 404);
        assert.deepEqual(loser.body, { message: UNKNOWN, secret_key: key });
      }
      const receipt = await get(pick(nodes, i + 1), `/private/${created.body.metadata_key}`);
      assert.equal(receipt.body.state, "received");
    }
  });

  test(`a reveal racing a burn on different nodes: exactly one wins, the receipt says which (${ROUNDS} secrets)`, async () => {
    const wins = { reveal: 0, burn: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      const value = `rb-${i}-${crypto.randomUUID()}`;
      const created = await post(pick(nodes, i), "/share", { secret: value });
      const key = String(created.body.secret_key);
      const metadataKey = String(created.body.metadata_key);
      const reveal = () => post(pick(nodes, i + 1), `/secret/${key}`);
      const burn = () => post(pick(nodes, i + 2), `/private/${metadataKey}/burn`);
      const [revealed, burned] =
        i % 2 === 0
          ? await Promise.all([reveal(), burn()])
          : (await Promise.all([burn(), reveal()])).reverse();
      assert.ok(revealed !== undefined && burned !== undefined);
      assert.equal(
        [revealed.status, burned.status].filter((s) => s === 200).length,
        1,
        `exactly one of reveal and burn succeeds for secret ${i}`,
      );
      if (revealed.status === 200) {
        wins.reveal++;
        assert.equal(revealed.body.value, value);
      } else {
        wins.burn++;
        assert.equal(revealed.status, 404);
        assert.deepEqual(revealed.body, { message: UNKNOWN, secret_key: key });
      }
      const state = (await get(pick(nodes, i), `/private/${metadataKey}`)).body.state;
      assert.equal(state, revealed.status === 200 ? "received" : "burned");
    }
    assert.equal(wins.reveal + wins.burn, ROUNDS);
  });
});

describe("rate limits count across nodes", () => {
  test("RATE_LIMIT_CREATE=4: two creates on A and two on B pass, the fifth is refused on either", async () => {
    const [a, b] = [pick(limited, 0), pick(limited, 1)];
    for (const node of [a, b, a, b]) {
      const res = await post(node, "/share", { secret: `limited-${crypto.randomUUID()}` });
      assert.equal(res.status, 200);
      assert.equal(typeof res.body.secret_key, "string");
    }
    for (const node of [a, b]) {
      const res = await post(node, "/share", { secret: "one too many" });
      assert.deepEqual(res.body, { message: LIMITED });
      assert.equal(res.headers.get("x-ots-intended-status"), "429");
    }
    // The unlimited deployment on the same Redis (another prefix) is not affected.
    assert.equal((await post(pick(nodes, 0), "/share", { secret: "elsewhere" })).status, 200);
  });
});

interface Server {
  base: string;
  stop(): Promise<void>;
}

interface Answer {
  status: number;
  headers: Headers;
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
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function get(server: Server, path: string): Promise<Answer> {
  const res = await fetch(`${server.base}/api/v1${path}`);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** `node --import tsx src/main.ts` on a free port with its own data directory, once it answers. */
async function startProcess(extraEnv: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "onetime-redis-node-"));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      BIND_ADDRESS: "127.0.0.1",
      DATA_DIR: dataDir,
      SECRET,
      LOG_LEVEL: "warn",
      ...extraEnv,
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
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) {
      rmSync(dataDir, { recursive: true, force: true });
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
