// A link made to be opened 3 times, raced by 30 readers split over TWO server processes: exactly 3
// get the text, each told the views left after it (2, 1, 0), and the receipt says `revealed` with
// 3 read times — on SQLite (both processes on one data directory), on one Redis, and on a Redis
// Cluster. With a passphrase, the wrong guesses racing among them spend no view. Real processes
// (src/main.ts compiled, see docs/testing.md), a real redis-server and a real 3-master Cluster; API v2.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type RedisCluster, startRedisCluster } from "./support/redis-cluster.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";
import { pick, type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const SECRET = "views-race-root-secret-0123456789abcdef0123";
const READERS = 30;
const VIEWS = 3;
const ROUNDS = 5;
/** The wrong guesses of the passphrase round must not lock the right readers out. */
const QUIET = {
  SECRET,
  RATE_LIMIT_ENABLED: "false",
  PASSPHRASE_ATTEMPTS_PER_IP: "1000",
  PASSPHRASE_ATTEMPTS_TOTAL: "1000",
};

type Json = Record<string, unknown>;

async function v2(server: Server, method: string, path: string, body?: Json) {
  const res = await fetch(`${server.base}/api/v2${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}
const record = (a: { body: Json }) => a.body.record as Json;

/** Two server processes started with `env`; both stopped if either fails to start. */
async function twoServers(env: Record<string, string>): Promise<Server[]> {
  const started = await Promise.allSettled([startServerProcess(env), startServerProcess(env)]);
  const ok = started.flatMap((s) => (s.status === "fulfilled" ? [s.value] : []));
  const failed = started.find((s) => s.status === "rejected");
  if (failed === undefined) return ok;
  await Promise.all(ok.map((s) => s.stop()));
  throw (failed as PromiseRejectedResult).reason;
}

/** The races, over whatever store the two servers share. */
function races(servers: () => Server[]) {
  test(`${READERS} readers over two processes, a ${VIEWS}-view secret: exactly ${VIEWS} get it (${ROUNDS} secrets)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const nodes = servers();
      const text = `for three, round ${round}: ${crypto.randomUUID()}`;
      const made = await v2(pick(nodes, round), "POST", "/secret/conceal", {
        secret: { secret: text, views: VIEWS },
      });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      const key = String((record(made).secret as Json).key);
      const receiptKey = String((record(made).receipt as Json).key);

      const answers = await Promise.all(
        Array.from({ length: READERS }, (_, i) => v2(pick(nodes, i), "POST", `/secret/${key}/reveal`, {})),
      );
      const winners = answers.filter((a) => a.status === 200).map(record);
      assert.equal(winners.length, VIEWS, `round ${round}`);
      for (const w of winners) assert.equal(w.secret_value, text);
      assert.deepEqual(winners.map((w) => w.views_left).sort(), [0, 1, 2]);
      for (const loser of answers.filter((a) => a.status !== 200)) assert.equal(loser.status, 404);

      // Read from the other process than the one that made it.
      const receipt = record(await v2(pick(nodes, round + 1), "GET", `/receipt/${receiptKey}`));
      assert.equal(receipt.state, "revealed");
      assert.deepEqual([receipt.views, receipt.views_used, receipt.views_left], [VIEWS, VIEWS, 0]);
      const times = receipt.read_times as number[];
      assert.equal(times.length, VIEWS);
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
        "oldest first",
      );
      assert.ok(times.includes(receipt.revealed as number), "the last view's time is among them");
    }
  });

  test("with a passphrase: wrong guesses racing the readers spend no view; exactly 3 right ones read it", async () => {
    const nodes = servers();
    const text = `guarded for three: ${crypto.randomUUID()}`;
    const made = await v2(nodes[0] as Server, "POST", "/secret/conceal", {
      secret: { secret: text, passphrase: "right words", views: VIEWS },
    });
    assert.equal(made.status, 200, JSON.stringify(made.body));
    const key = String((record(made).secret as Json).key);
    const answers = await Promise.all(
      Array.from({ length: READERS }, (_, i) =>
        v2(pick(nodes, i), "POST", `/secret/${key}/reveal`, {
          passphrase: i % 2 === 0 ? "wrong words" : "right words",
        }).then((a) => ({ ...a, right: i % 2 === 1 })),
      ),
    );
    const winners = answers.filter((a) => a.status === 200);
    assert.equal(winners.length, VIEWS);
    assert.ok(winners.every((w) => w.right && record(w).secret_value === text));
    for (const a of answers.filter((a) => !a.right))
      assert.ok([422, 404].includes(a.status), String(a.status));
    const receipt = record(
      await v2(nodes[1] as Server, "GET", `/receipt/${String((record(made).receipt as Json).key)}`),
    );
    assert.deepEqual([receipt.state, (receipt.read_times as number[]).length], ["revealed", VIEWS]);
  });
}

describe("SQLite: two processes on one data directory", () => {
  const dir = tempDir("onetime-views-race-");
  let servers: Server[] = [];
  before(async () => {
    servers = await twoServers({ ...QUIET, DATA_DIR: dir.path });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    dir.remove();
  });
  races(() => servers);
});

describe("Redis: two processes on one redis-server", () => {
  let redis: RedisServer | undefined;
  let servers: Server[] = [];
  before(async () => {
    redis = await startRedis();
    servers = await twoServers({ ...QUIET, REDIS_URL: redis.url });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    redis?.kill();
  });
  races(() => servers);
});

describe("Redis Cluster: two processes on a 3-master cluster", () => {
  let cluster: RedisCluster | undefined;
  let servers: Server[] = [];
  before(async () => {
    cluster = await startRedisCluster();
    servers = await twoServers({ ...QUIET, REDIS_CLUSTER_NODES: cluster.nodes.join(",") });
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    cluster?.kill();
  });
  races(() => servers);
});
