// Operations endpoints: liveness, readiness against the real store, and the Prometheus scrape,
// which must count what happened without ever naming a secret or metadata key.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** /metrics is on the public port only behind METRICS_TOKEN (test/metrics-exposure.test.ts). */
const METRICS_TOKEN = "ops-test-metrics-token-0123456789";
const scrape = (app: TestApp["app"]) =>
  app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } });

/** Value of one sample in Prometheus text, e.g. `onetime_secrets_created_total`; NaN when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
}

test("/healthz answers ok", async () => {
  t = await makeTestApp();
  const res = await t.app.inject({ method: "GET", url: "/healthz" });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: "ok" });
});

test("/readyz answers ready while the store answers, 503 once it is closed", async () => {
  t = await makeTestApp({ METRICS_TOKEN });
  const ready = await t.app.inject({ method: "GET", url: "/readyz" });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: "ready" });

  await t.deps.store.close();
  const down = await t.app.inject({ method: "GET", url: "/readyz" });
  assert.equal(down.statusCode, 503);
  assert.deepEqual(down.json(), { status: "unavailable" });
  const metrics = await scrape(t.app);
  assert.equal(sample(metrics.body, "onetime_store_errors_total"), 1);
});

test("probe requests are logged at debug, not info", async () => {
  t = await makeTestApp();
  await t.app.inject({ method: "GET", url: "/healthz" });
  const lines = t.logs.map((l) => JSON.parse(l) as { msg: string; path?: string; level: number });
  const probe = lines.filter((l) => l.msg === "request" && l.path === "/healthz");
  assert.equal(probe.length, 1);
  assert.equal(probe[0]?.level, 20);
});

test("/metrics counts the lifecycle by route pattern and never names a key", async () => {
  t = await makeTestApp({ RATE_LIMIT_REVEAL: "1", METRICS_TOKEN });
  const revealed = await share(t.app, { secret: "metrics-plain-1", ttl: "3600" });
  const burned = await share(t.app, { secret: "metrics-plain-2", ttl: "3600" });
  const expired = await share(t.app, { secret: "metrics-plain-3", ttl: "3600" });
  assert.equal((await postForm(t.app, `/secret/${revealed.secret_key}`)).statusCode, 200);
  const limited = await postForm(t.app, `/secret/${revealed.secret_key}`);
  assert.equal(limited.headers["x-ots-intended-status"], "429");
  const burn = await postForm(t.app, `/private/${burned.metadata_key}/burn`, { continue: "true" });
  assert.equal(burn.statusCode, 200);
  const start = Date.now();
  t.deps.now = () => start + 3601_000;
  const receipt = await postForm(t.app, `/private/${expired.metadata_key}`);
  assert.equal(receipt.json().state, "expired");
  await t.app.inject({ method: "GET", url: `/nowhere/${expired.secret_key}` });

  const res = await scrape(t.app);
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
  const text = res.body;
  assert.equal(sample(text, "onetime_secrets_created_total"), 3);
  assert.equal(sample(text, "onetime_secrets_revealed_total"), 1);
  assert.equal(sample(text, "onetime_secrets_burned_total"), 1);
  assert.equal(sample(text, "onetime_secrets_expired_total"), 1);
  assert.equal(sample(text, "onetime_rate_limit_hits_total"), 1);
  assert.equal(sample(text, "onetime_store_errors_total"), 0);

  const requests = (route: string, status: number) =>
    sample(text, `onetime_http_requests_total{method="POST",route="${route}",status_code="${status}"}`);
  assert.equal(requests("/api/v1/share", 200), 3);
  // The v1 contract answers every error with 404; the rate-limited reveal is one of them.
  assert.equal(requests("/api/v1/secret/:key", 200), 1);
  assert.equal(requests("/api/v1/secret/:key", 404), 1);
  assert.equal(requests("/api/v1/private/:key/burn", 200), 1);
  assert.equal(requests("/api/v1/private/:key", 200), 1);
  assert.equal(
    sample(text, 'onetime_http_requests_total{method="GET",route="unmatched",status_code="404"}'),
    1,
  );
  assert.match(
    text,
    /onetime_http_request_duration_seconds_bucket\{le="[^"]+",method="POST",route="\/api\/v1\/share"\}/,
  );

  for (const key of [revealed, burned, expired].flatMap((s) => [s.secret_key, s.metadata_key])) {
    assert.ok(!text.includes(key), "a key appears in the metrics");
  }
  assert.ok(!text.includes("metrics-plain"));
  for (const line of text.split("\n").filter((l) => l.includes("route="))) {
    const route = /route="([^"]*)"/.exec(line)?.[1] ?? "";
    assert.ok(route === "unmatched" || route.startsWith("/"), `odd route label: ${route}`);
    assert.ok(!/[a-z0-9]{20,}/.test(route), `route label looks like a raw URL: ${route}`);
  }
});

test("METRICS_ENABLED=false serves no /metrics", async () => {
  t = await makeTestApp({ METRICS_ENABLED: "false", METRICS_TOKEN });
  assert.equal(t.deps.metrics, undefined);
  const res = await scrape(t.app);
  assert.equal(res.statusCode, 404);
  assert.equal((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode, 200);
});
