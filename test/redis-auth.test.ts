// REDIS_URL carries a password and a database number: both are honoured, and a wrong password
// stops start-up instead of serving without a store.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, test } from "node:test";
import { makeTestApp, postForm, share } from "./helpers.js";
import { type RedisServer, startRedis } from "./redis-server.js";

let redis: RedisServer;
before(async () => {
  redis = await startRedis(["--requirepass", "s3cret-pw"]);
});
after(() => redis.kill());

function dbsize(db: number): number {
  const out = execFileSync("redis-cli", [
    "-p",
    String(redis.port),
    "-a",
    "s3cret-pw",
    "--no-auth-warning",
    "-n",
    String(db),
    "dbsize",
  ]);
  return Number(String(out).trim());
}

test("password and database from REDIS_URL", async () => {
  const t = await makeTestApp({ REDIS_URL: `redis://:s3cret-pw@127.0.0.1:${redis.port}/3` });
  try {
    const created = await share(t.app, { secret: "in db 3" });
    assert.ok(dbsize(3) > 0, "rows are in database 3");
    assert.equal(dbsize(0), 0, "nothing in database 0");
    assert.equal((await postForm(t.app, `/secret/${created.secret_key}`)).json().value, "in db 3");
  } finally {
    await t.close();
  }
});

test("a wrong password fails start-up", async () => {
  await assert.rejects(makeTestApp({ REDIS_URL: `redis://:wrong@127.0.0.1:${redis.port}/3` }));
});
