// The whole v1 lifecycle on the Redis store, selected by REDIS_URL, against a real redis-server:
// the same answers as on SQLite, and exactly one winner among racing readers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeAccount, makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";

let redis: RedisServer;
let t: TestApp;
before(async () => {
  redis = await startRedis();
  t = await makeTestApp({ REDIS_URL: redis.url, RATE_LIMIT_CREATE: "1000" });
});
after(async () => {
  await t.close();
  redis.kill();
});

describe("v1 on Redis", () => {
  test("REDIS_URL selects the Redis store", () => {
    assert.equal(t.deps.store.name, "redis");
  });

  test("share, metadata, reveal once, then received", async () => {
    const created = await share(t.app, { secret: "on redis", ttl: "600", passphrase: "pw" });
    assert.equal(created.passphrase_required, true);
    const meta = await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` });
    assert.equal(meta.json().state, "viewed");
    const wrong = await postForm(t.app, `/secret/${created.secret_key}`, { passphrase: "nope" });
    assert.equal(wrong.json().message, "Unknown secret");
    const right = await postForm(t.app, `/secret/${created.secret_key}`, { passphrase: "pw" });
    assert.equal(right.json().value, "on redis");
    const after = await t.app.inject({ method: "GET", url: `/api/v1/receipt/${created.metadata_key}` });
    assert.equal(after.json().state, "received");
    assert.equal(Number.isInteger(after.json().received), true);
  });

  test("64 concurrent reveals of one secret: exactly one 200", async () => {
    const created = await share(t.app, { secret: "race" });
    const answers = await Promise.all(
      Array.from({ length: 64 }, () => postForm(t.app, `/secret/${created.secret_key}`)),
    );
    assert.equal(answers.filter((a) => a.statusCode === 200).length, 1);
    assert.equal(answers.filter((a) => a.json().message === "Unknown secret").length, 63);
  });

  test("reveal racing burn: exactly one wins (20 secrets)", async () => {
    for (let i = 0; i < 20; i++) {
      const created = await share(t.app, { secret: `rb${i}` });
      const [reveal, burn] = await Promise.all([
        postForm(t.app, `/secret/${created.secret_key}`),
        postForm(t.app, `/private/${created.metadata_key}/burn`),
      ]);
      assert.equal([reveal.statusCode, burn.statusCode].filter((s) => s === 200).length, 1);
      const state = (
        await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` })
      ).json().state;
      assert.equal(state, reveal.statusCode === 200 ? "received" : "burned");
    }
  });

  test("accounts: custid, 30-day ceiling and recent", async () => {
    const { authorization, email } = await makeAccount(t.deps, "redis@example.com");
    const created = await share(t.app, { secret: "mine", ttl: "99999999" }, { authorization });
    assert.equal(created.custid, email);
    assert.equal(created.ttl, 2592000);
    const recent = await t.app.inject({
      method: "GET",
      url: "/api/v1/private/recent",
      headers: { authorization },
    });
    assert.deepEqual(
      recent.json().map((r: { metadata_key: string }) => r.metadata_key),
      [created.metadata_key],
    );
  });

  test("rate limits count in Redis", async () => {
    const limited = await makeTestApp({
      REDIS_URL: redis.url,
      REDIS_PREFIX: "limited",
      RATE_LIMIT_CREATE: "2",
    });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push((await postForm(limited.app, "/share", { secret: "x" })).json().message);
      assert.deepEqual(codes.slice(2), ["Cripes! You have been rate limited."]);
    } finally {
      await limited.close();
    }
  });
});
