// /metrics is not public by default. On a real server over real sockets: the public port has no
// /metrics unless METRICS_TOKEN is set, and then only with that Bearer token; METRICS_LISTEN serves
// it on a second, private address (behind the token too when one is set); /healthz and /readyz stay
// public either way.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { ConfigError, loadConfig } from "../src/config.js";
import { type RunningServer, startServer } from "../src/server/start.js";
import { TEST_SECRET } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";

const TOKEN = "metrics-token-0123456789abcdef";
const quiet = () => new Writable({ write: (_chunk, _enc, done) => done() });

async function withServer(env: Record<string, string>, run: (server: RunningServer) => Promise<void>) {
  using dir = tempDir("onetime-metrics-exposure-");
  const server = await startServer({
    env: { PORT: "0", BIND_ADDRESS: "127.0.0.1", DATA_DIR: dir.path, SECRET: TEST_SECRET, ...env },
    logStream: quiet(),
  });
  try {
    await run(server);
  } finally {
    await server.stop();
  }
}

async function scrape(url: string, authorization?: string) {
  const res = await fetch(url, authorization === undefined ? {} : { headers: { authorization } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

async function probesArePublic(server: RunningServer) {
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
}

test("by default the public port serves no /metrics, and the probes stay public", async () => {
  await withServer({}, async (server) => {
    const res = await scrape(`${server.url}/metrics`);
    assert.equal(res.status, 404);
    assert.ok(!res.body.includes("onetime_"), "no metric in the answer");
    assert.equal(server.metricsUrl, null);
    await probesArePublic(server);
  });
});

test("with METRICS_TOKEN the public port serves /metrics to that Bearer token only", async () => {
  await withServer({ METRICS_TOKEN: TOKEN }, async (server) => {
    const url = `${server.url}/metrics`;
    const wrong = [
      "",
      "Bearer",
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${btoa(`x:${TOKEN}`)}`,
    ];
    for (const authorization of [undefined, ...wrong]) {
      const refused = await scrape(url, authorization);
      assert.equal(refused.status, 401, `Authorization: ${authorization}`);
      assert.equal(refused.headers.get("www-authenticate"), 'Bearer realm="metrics"');
      assert.ok(!refused.body.includes("onetime_"));
    }
    const served = await scrape(url, `Bearer ${TOKEN}`);
    assert.equal(served.status, 200);
    assert.match(served.body, /^onetime_secrets_created_total 0$/m);
    assert.match(served.headers.get("content-type") ?? "", /^text\/plain/);
    await probesArePublic(server);
  });
});

test("METRICS_LISTEN serves /metrics on its own address and nothing else there", async () => {
  await withServer({ METRICS_LISTEN: "127.0.0.1:0" }, async (server) => {
    assert.ok(server.metricsUrl !== null);
    const shared = await fetch(`${server.url}/api/v1/share`, {
      method: "POST",
      body: new URLSearchParams({ secret: "s" }),
    });
    assert.equal(shared.status, 200);
    const served = await scrape(server.metricsUrl);
    assert.equal(served.status, 200);
    assert.match(served.body, /^onetime_secrets_created_total 1$/m, "it counts what the public port did");
    const origin = new URL(server.metricsUrl).origin;
    assert.notEqual(origin, server.url);
    for (const path of ["/healthz", "/api/v1/status", "/"]) {
      assert.equal((await fetch(`${origin}${path}`)).status, 404, `${path} on the metrics listener`);
    }
    assert.equal((await scrape(`${server.url}/metrics`)).status, 404, "still not on the public port");
    await probesArePublic(server);
  });
});

test("METRICS_LISTEN with METRICS_TOKEN wants the token there too", async () => {
  await withServer({ METRICS_LISTEN: "127.0.0.1:0", METRICS_TOKEN: TOKEN }, async (server) => {
    assert.ok(server.metricsUrl !== null);
    assert.equal((await scrape(server.metricsUrl)).status, 401);
    assert.equal((await scrape(server.metricsUrl, `Bearer ${TOKEN}`)).status, 200);
  });
});

test("METRICS_LISTEN and METRICS_TOKEN are checked at start-up", () => {
  assert.deepEqual(loadConfig({ METRICS_LISTEN: "[::1]:9464" }).metricsListen, { host: "::1", port: 9464 });
  for (const env of [
    { METRICS_LISTEN: "9464" },
    { METRICS_LISTEN: "127.0.0.1:70000" },
    { METRICS_LISTEN: "http://127.0.0.1:9464" },
    { METRICS_TOKEN: "short" },
    { METRICS_TOKEN: "with a space in it, long enough" },
  ]) {
    assert.throws(() => loadConfig(env), ConfigError, JSON.stringify(env));
  }
});
