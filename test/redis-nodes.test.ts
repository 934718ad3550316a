// Several server processes sharing one Redis: what one node stores, another serves; a secret is
// still read at most once however the racing readers (and burners) spread over the nodes; and rate
// limits count across nodes. Real processes (src/main.ts compiled, see docs/testing.md), a real redis-server.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type RedisServer, startRedis } from "./support/redis-server.js";
import { get, pick, post, type Server, startServerProcess } from "./support/server-process.js";

const SECRET = "redis-nodes-root-secret-0123456789abcdef";
const UNKNOWN = "Unknown secret";
const LIMITED = "Cripes! You have been rate limited.";
const READERS = 100;
/** Secrets raced by READERS readers: each a race of 100 contenders over three processes. */
const READER_ROUNDS = 8;
const ROUNDS = 20;

let redis: RedisServer;
let nodes: Server[] = [];
let limited: Server[] = [];

before(async () => {
  redis = await startRedis();
  const env = { REDIS_URL: redis.url, RATE_LIMIT_ENABLED: "false", SECRET };
  const limitedEnv = {
    SECRET,
    REDIS_URL: redis.url,
    REDIS_PREFIX: "ratelimited",
    RATE_LIMIT_ENABLED: "true",
    RATE_LIMIT_CREATE: "4",
  };
  const started = await Promise.allSettled([
    startServerProcess(env),
    startServerProcess(env),
    startServerProcess(env),
    startServerProcess(limitedEnv),
    startServerProcess(limitedEnv),
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

  test(`${READERS} concurrent reveals spread over the three nodes: exactly one 200 (${READER_ROUNDS} secrets)`, async () => {
    for (let i = 0; i < READER_ROUNDS; i++) {
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
