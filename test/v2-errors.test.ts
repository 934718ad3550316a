// API v2 errors: each status of docs/api-v2.md from a real cause (a body, a setting, a crashed Redis),
// with its exact body; 429 with Retry-After; unknown routes under /api/v2 answer v2's not-found and
// the rest of the site keeps v1's. Every answer is checked against the OpenAPI document.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeAccount, makeTestApp, type TestApp } from "./support/helpers.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";
import { checkerFor, v2Client } from "./support/v2-support.js";

/** A fresh app with `env`, its v2 client, and close(). */
async function v2App(env: Record<string, string> = {}) {
  const t = await makeTestApp(env);
  return { t, call: v2Client(t.app, await checkerFor(t.app)) };
}

const conceal = (secret: Record<string, unknown>) => ({ json: { secret } });

describe("bodies and parameters", () => {
  let t: TestApp;
  let call: Awaited<ReturnType<typeof v2App>>["call"];
  before(async () => {
    ({ t, call } = await v2App({ PASSPHRASE_MIN_LENGTH: "4", SECRET_MAX_LENGTH: "100", BODY_LIMIT: "2048" }));
  });
  after(() => t.close());

  test("415: a Content-Type v2 does not read (text, multipart)", async () => {
    for (const type of ["text/plain", "multipart/form-data; boundary=x", "application/xml"]) {
      const res = await call("POST", "/secret/conceal", {
        payload: "secret=x",
        headers: { "content-type": type },
      });
      assert.equal(res.status, 415, type);
      assert.equal(res.body.error_type, "UnsupportedMediaType");
    }
  });

  test("400: malformed JSON, a JSON array, a form that is not UTF-8", async () => {
    const cases = [
      { payload: "{bad", type: "application/json" },
      { payload: "[1]", type: "application/json" },
      { payload: Buffer.from("secret[secret]=%ff"), type: "application/x-www-form-urlencoded" },
      { payload: Buffer.from([0x73, 0x3d, 0xff]), type: "application/x-www-form-urlencoded" },
    ];
    for (const { payload, type } of cases) {
      const res = await call("POST", "/secret/conceal", { payload, headers: { "content-type": type } });
      assert.equal(res.status, 400, String(payload));
      assert.deepEqual(res.body, { error: "The body cannot be read", error_type: "BadRequest" });
    }
  });

  test("413: a secret over SECRET_MAX_LENGTH, a body over BODY_LIMIT", async () => {
    const big = await call("POST", "/secret/conceal", conceal({ secret: "x".repeat(101) }));
    assert.equal(big.status, 413);
    assert.deepEqual(big.body, {
      error: "Secret value exceeds the maximum size of 100 bytes",
      error_type: "PayloadTooLarge",
      field: "secret",
    });
    const huge = await call("POST", "/secret/conceal", conceal({ secret: "x".repeat(4096) }));
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error_type, "PayloadTooLarge");
  });

  test("422: validation names its field", async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [{ secret: "x", ttl: "abc" }, "ttl", "ValidationError"],
      [{ secret: "x", ttl: -5 }, "ttl", "ValidationError"],
      [{ secret: "x", passphrase: 42 }, "passphrase", "ValidationError"],
      [{ secret: "" }, "secret", "ValidationError"],
      [{ secret: "x", passphrase: "abc" }, "passphrase", "ValidationError"],
    ];
    for (const [secret, field, type] of cases) {
      const res = await call("POST", "/secret/conceal", conceal(secret));
      assert.equal(res.status, 422, JSON.stringify(secret));
      assert.equal(res.body.field, field, JSON.stringify(secret));
      assert.equal(res.body.error_type, type);
    }
    const noWrapper = await call("POST", "/secret/conceal", { json: { text: "x" } });
    assert.equal(noWrapper.status, 422);
    assert.equal(noWrapper.body.field, "secret");
    const alice = await makeAccount(t.deps);
    const undeliverable = await call("POST", "/secret/conceal", {
      ...conceal({ secret: "x", recipient: ["not an address"] }),
      headers: { authorization: alice.authorization },
    });
    assert.equal(undeliverable.status, 422);
    assert.equal(undeliverable.body.field, "recipient");
  });

  test("404: unknown routes under /api/v2, whatever their method or body; v1 and the site keep theirs", async () => {
    const v2NotFound = '{"error":"Not Found","error_type":"NotFound"}';
    for (const [method, url, type] of [
      ["GET", "/api/v2/nothing", undefined],
      ["GET", "/api/v2", undefined],
      ["DELETE", "/api/v2/secret/conceal", undefined],
      ["POST", "/api/v2/nothing", "text/plain"],
      ["GET", "/api/v2/secret/%zz", undefined],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        ...(type === undefined ? {} : { payload: "x", headers: { "content-type": type } }),
      });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.body, v2NotFound, `${method} ${url}`);
    }
    const v1 = await t.app.inject({ method: "GET", url: "/api/v1/nothing" });
    assert.equal(v1.body, '{"error":"Not Found"}');
    assert.equal(v1.headers["x-ots-intended-status"], "404");
  });
});

describe("limits", () => {
  test("429 with Retry-After: the rate-limit window", async () => {
    const { t, call } = await v2App({ RATE_LIMIT_STATUS: "2", RATE_LIMIT_WINDOW: "90" });
    try {
      for (let i = 0; i < 2; i++) assert.equal((await call("GET", "/status")).status, 200);
      const limited = await call("GET", "/status");
      assert.equal(limited.status, 429);
      assert.deepEqual(limited.body, { error: "Rate limit exceeded", error_type: "LimitExceeded" });
      assert.equal(limited.headers["retry-after"], "90");
    } finally {
      await t.close();
    }
  });

  test("429 with Retry-After: too many failed authentications lock out credentials, right ones too", async () => {
    const { t, call } = await v2App({ RATE_LIMIT_AUTH_FAILURES: "2", RATE_LIMIT_WINDOW: "90" });
    try {
      const alice = await makeAccount(t.deps);
      for (let i = 0; i < 2; i++) {
        assert.equal(
          (await call("GET", "/status", { headers: { authorization: "Bearer wrong" } })).status,
          401,
        );
      }
      const locked = await call("GET", "/status", { headers: { authorization: `Bearer ${alice.token}` } });
      assert.equal(locked.status, 429);
      assert.equal(locked.headers["retry-after"], "90");
      assert.equal((await call("GET", "/status")).status, 200, "anonymous still answered");
    } finally {
      await t.close();
    }
  });

  test("429 with Retry-After: the passphrase lock-out; nothing consumed", async () => {
    const { t, call } = await v2App({ PASSPHRASE_ATTEMPTS_PER_IP: "2", PASSPHRASE_LOCKOUT: "300" });
    try {
      const made = await call("POST", "/secret/conceal", conceal({ secret: "locked", passphrase: "right" }));
      const key = ((made.body.record as Record<string, unknown>).secret as Record<string, unknown>).key;
      for (let i = 0; i < 2; i++) {
        const wrong = await call("POST", `/secret/${key}/reveal`, { json: { passphrase: "wrong" } });
        assert.equal(wrong.status, 422);
      }
      const locked = await call("POST", `/secret/${key}/reveal`, { json: { passphrase: "right" } });
      assert.equal(locked.status, 429);
      assert.equal(locked.headers["retry-after"], "300");
      assert.equal((await call("GET", `/secret/${key}`)).status, 200, "still there");
    } finally {
      await t.close();
    }
  });
});

describe("accounts off, store down", () => {
  test("403: credentials sent to a server without accounts", async () => {
    const { t, call } = await v2App({ AUTH_ENABLED: "false" });
    try {
      const res = await call("GET", "/status", { headers: { authorization: "Bearer something" } });
      assert.equal(res.status, 403);
      assert.equal(res.body.error_type, "Forbidden");
      assert.equal((await call("GET", "/status")).status, 200);
    } finally {
      await t.close();
    }
  });

  test("503: the store is gone (Redis killed)", async () => {
    const redis: RedisServer = await startRedis();
    const { t, call } = await v2App({ REDIS_URL: redis.url });
    try {
      assert.equal((await call("POST", "/secret/conceal", conceal({ secret: "x" }))).status, 200);
      await redis.crash();
      for (const [method, path, c] of [
        ["POST", "/secret/conceal", conceal({ secret: "x" })],
        ["GET", `/secret/${"0".repeat(31)}`, {}],
      ] as const) {
        const res = await call(method, path, c);
        assert.equal(res.status, 503, path);
        assert.deepEqual(res.body, { error: "Service unavailable", error_type: "ServiceUnavailable" });
      }
    } finally {
      await t.close();
      redis.kill();
    }
  });
});
