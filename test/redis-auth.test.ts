// REDIS_URL carries a password and a database number: both are honoured, and a wrong or missing
// password stops start-up, with a reason, instead of serving without a store. The log names Redis
// without its password and says what failed by code, never with the password.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { startServer } from "../src/server/start.js";
import { makeTestApp, postForm, share, TEST_SECRET } from "./support/helpers.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";

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

/** Starts the real server on `url`'s Redis; returns its log records, and the start-up error if any. */
async function start(
  url: string,
): Promise<{ records: Record<string, unknown>[]; raw: string; error?: Error }> {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const env = {
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    SECRET: TEST_SECRET,
    REDIS_URL: url,
    DATA_DIR: "/nonexistent",
  };
  let error: Error | undefined;
  try {
    const server = await startServer({ env, logStream });
    await server.stop();
  } catch (err) {
    error = err as Error;
  }
  return { records: lines.map((l) => JSON.parse(l) as Record<string, unknown>), raw: lines.join(""), error };
}

test("a wrong password stops start-up with a reason; the log gives the code, never the password", async () => {
  const { records, raw, error } = await start(`redis://:wrong-pw-7351@127.0.0.1:${redis.port}/3`);
  assert.match(
    String(error?.message),
    /^redis authentication failed: check the user and password in REDIS_URL \(WRONGPASS\)$/,
  );
  const connection = records.filter((r) => r.msg === "store connection error");
  assert.ok(connection.length > 0, "each failed try is logged");
  for (const r of connection) {
    assert.equal(r.code, "WRONGPASS");
    assert.match(String(r.reason), /^redis authentication failed/);
  }
  assert.ok(!raw.includes("wrong-pw-7351"));
});

test("no password for a server that needs one stops start-up (NOAUTH), instead of serving nothing", async () => {
  const { error } = await start(`redis://127.0.0.1:${redis.port}`);
  assert.match(String(error?.message), /^redis authentication failed: .* \(NOAUTH\)$/);
});

test("the start-up line names Redis without its password, and no data directory", async () => {
  const { records, raw, error } = await start(`redis://:s3cret-pw@127.0.0.1:${redis.port}/3`);
  assert.equal(error, undefined);
  const line = records.find((r) => r.msg === "onetime listening");
  assert.equal(line?.store, "redis");
  assert.equal(line?.redis, `redis://:***@127.0.0.1:${redis.port}/3`);
  assert.equal(line?.dataDir, undefined);
  assert.ok(!raw.includes("s3cret-pw"));
});
