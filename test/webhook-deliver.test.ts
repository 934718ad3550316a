// Webhook delivery over real sockets: an HTTP and an HTTPS receiver on loopback (the HTTPS one with
// a certificate openssl makes for this run), reached only through the allow-list; without it no
// loopback address is even connected to. The documented verification recipe (docs/webhooks.md) is
// run as written against the deliveries.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import type { LookupAddress } from "node:dns";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { type DeliveryPolicy, deliverWebhook } from "../src/webhooks/deliver.js";
import type { Resolver } from "../src/webhooks/lookup.js";
import { newEndpointSecret, verifyWebhook } from "../src/webhooks/sign.js";
import { freePort } from "./support/ports.js";
import { tempDir } from "./support/temp.js";

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
let connections = 0;

async function answer(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  received.push({ path: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
  const status = /^\/status\/(\d{3})$/.exec(req.url ?? "")?.[1];
  if (status !== undefined) res.writeHead(Number(status)).end("no");
  else if (req.url === "/ok") res.writeHead(204).end();
  else if (req.url === "/redirect") res.writeHead(302, { location: "/ok" }).end();
  else if (req.url === "/hang")
    return; // never answers
  else if (req.url === "/hang-body")
    res.writeHead(200).write("partial"); // never ends
  else if (req.url === "/endless" || req.url === "/endless-500") {
    // A body without end: only the size cap can finish this delivery.
    res.writeHead(req.url === "/endless" ? 200 : 500);
    const chunk = Buffer.alloc(16 * 1024, "x");
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
    };
    res.on("drain", pump);
    pump();
  } else res.writeHead(404).end();
}

const secret = newEndpointSecret();
const body = '{"type":"secret.read","data":{"receipt":"r4nd0m","state":"received","views":1}}';
const nowSec = () => Math.floor(Date.now() / 1000);
const event = (id = `evt_${received.length}_${Math.random()}`) => ({ id, timestampSec: nowSec(), body });
const policy = (allowedHosts: string[], more: Partial<DeliveryPolicy> = {}): DeliveryPolicy => ({
  allowedHosts,
  timeoutMs: 30_000, // a bound on a broken test's hang, never reached by a working one
  maxResponseBytes: 64 * 1024,
  ...more,
});

const dir = tempDir("onetime-webhooks-");
const plain = http.createServer(answer);
let secure: https.Server;
let cert: string;
let httpPort: number;
let httpsPort: number;

before(async () => {
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1"],
      ...["-keyout", join(dir.path, "key.pem"), "-out", join(dir.path, "cert.pem"), "-subj", "/CN=localhost"],
      ...["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
    ],
    { stdio: "ignore" },
  );
  cert = readFileSync(join(dir.path, "cert.pem"), "utf8");
  secure = https.createServer({ key: readFileSync(join(dir.path, "key.pem")), cert }, answer);
  for (const server of [plain, secure]) server.on("connection", () => connections++);
  plain.listen(0, "127.0.0.1");
  secure.listen(0, "127.0.0.1");
  await Promise.all([once(plain, "listening"), once(secure, "listening")]);
  httpPort = (plain.address() as AddressInfo).port;
  httpsPort = (secure.address() as AddressInfo).port;
});

after(() => {
  for (const server of [plain, secure]) {
    server.closeAllConnections();
    server.close();
  }
  dir.remove();
});

const local = (path: string) => `http://127.0.0.1:${httpPort}${path}`;

describe("delivery to an allowed loopback receiver", () => {
  test("arrives once, signed, with the JSON content type and our user agent", async () => {
    const before = received.length;
    const sent = event("evt_once");
    const result = await deliverWebhook({ url: local("/ok"), secret }, sent, policy(["127.0.0.1"]));
    assert.equal(result.ok, true);
    assert.equal(result.status, 204);
    assert.equal(received.length, before + 1);
    const got = received.at(-1) as Received;
    assert.equal(got.body, body);
    assert.equal(got.headers["content-type"], "application/json");
    assert.match(got.headers["user-agent"] ?? "", /^onetime-webhooks\/\d+\.\d+\.\d+/);
    assert.equal(got.headers["webhook-id"], "evt_once");
    assert.equal(verifyWebhook(secret, got.headers as Record<string, string>, got.body, nowSec()), true);
  });

  test("the documented recipe accepts it and refuses a tampered body, a wrong secret, a stale timestamp", async () => {
    const recipe = await documentedRecipe();
    await deliverWebhook({ url: local("/ok"), secret }, event(), policy(["127.0.0.1"]));
    const got = received.at(-1) as Received;
    assert.equal(recipe(secret, got.headers, got.body), true);
    assert.equal(recipe(secret, got.headers, got.body.replace('"views":1', '"views":2')), false);
    assert.equal(recipe(newEndpointSecret(), got.headers, got.body), false);
    const stale = { ...event(), timestampSec: nowSec() - 600 };
    assert.equal(
      (await deliverWebhook({ url: local("/ok"), secret }, stale, policy(["127.0.0.1"]))).ok,
      true,
    );
    const old = received.at(-1) as Received;
    assert.equal(recipe(secret, old.headers, old.body), false);
    assert.equal(verifyWebhook(secret, old.headers as Record<string, string>, old.body, nowSec()), false);
  });

  test("an allowed name is resolved as usual: localhost reaches the receiver", async () => {
    const url = `http://localhost:${httpPort}/ok`;
    assert.equal((await deliverWebhook({ url, secret }, event(), policy(["localhost"]))).ok, true);
  });

  test("over HTTPS, the certificate is verified: trusted through the policy's CA, refused without", async () => {
    const url = `https://localhost:${httpsPort}/ok`;
    assert.equal(
      (await deliverWebhook({ url, secret }, event(), policy(["localhost"], { ca: cert }))).ok,
      true,
    );
    const untrusted = await deliverWebhook({ url, secret }, event(), policy(["localhost"]));
    assert.deepEqual([untrusted.ok, !untrusted.ok && untrusted.error], [false, "tls_failed"]);
  });
});

describe("no delivery to a private address unless allowed", () => {
  test("loopback in every spelling is refused before any connection", async () => {
    const before = connections;
    const urls = [
      `https://127.0.0.1:${httpsPort}/ok`,
      `https://[::1]:${httpsPort}/ok`,
      `https://[::ffff:127.0.0.1]:${httpsPort}/ok`,
      `https://2130706433:${httpsPort}/ok`,
      `https://localhost:${httpsPort}/ok`,
    ];
    for (const url of urls) {
      const result = await deliverWebhook({ url, secret }, event(), policy([]));
      assert.deepEqual(
        result,
        { ok: false, status: null, error: "refused_address", ms: result.ms, retry: false },
        url,
      );
    }
    assert.equal(connections, before);
  });

  test("a name resolving to loopback is refused at connect time, by the lookup the socket uses", async () => {
    for (const address of [
      { address: "127.0.0.1", family: 4 },
      { address: "::ffff:127.0.0.1", family: 6 },
    ]) {
      const asked: string[] = [];
      const resolve: Resolver = (hostname, _options, callback) => {
        asked.push(hostname);
        callback(null, [address as LookupAddress]);
      };
      const before = connections;
      const url = `https://hooks.example.test:${httpsPort}/ok`;
      const result = await deliverWebhook({ url, secret }, event(), policy([]), { resolve });
      assert.equal(!result.ok && result.error, "refused_address", address.address);
      assert.deepEqual(asked, ["hooks.example.test"]);
      assert.equal(connections, before);
    }
  });

  test("plain http is refused for a host not allowed", async () => {
    const result = await deliverWebhook({ url: local("/ok"), secret }, event(), policy([]));
    assert.deepEqual([result.ok, !result.ok && result.error], [false, "http_not_allowed"]);
    assert.deepEqual([result.ok, !result.ok && result.retry], [false, false]);
  });
});

describe("answers and failures", () => {
  const deliver = (path: string, more: Partial<DeliveryPolicy> = {}) =>
    deliverWebhook({ url: local(path), secret }, event(), policy(["127.0.0.1"], more));

  test("a redirect is not followed", async () => {
    const before = received.length;
    const result = await deliver("/redirect");
    assert.deepEqual(result, {
      ok: false,
      status: 302,
      error: "redirect_not_followed",
      ms: result.ms,
      retry: false,
    });
    assert.deepEqual(
      received.slice(before).map((r) => r.path),
      ["/redirect"],
    );
  });

  test("5xx, 408 and 429 are retried; other 4xx are not", async () => {
    for (const [status, retry] of [
      [500, true],
      [503, true],
      [408, true],
      [429, true],
      [400, false],
      [404, false],
      [410, false],
    ] as const) {
      const result = await deliver(`/status/${status}`);
      assert.deepEqual(
        result,
        { ok: false, status, error: `http_${status}`, ms: result.ms, retry },
        String(status),
      );
    }
  });

  test("a receiver that never answers times out, retried", async () => {
    const result = await deliver("/hang", { timeoutMs: 1000 });
    assert.deepEqual(result, { ok: false, status: null, error: "timeout", ms: result.ms, retry: true });
    assert.equal(received.at(-1)?.path, "/hang");
  });

  test("the deadline also covers an answer whose body never ends", async () => {
    const result = await deliver("/hang-body", { timeoutMs: 1000 });
    assert.deepEqual(result, { ok: false, status: 200, error: "timeout", ms: result.ms, retry: true });
  });

  test("an answer's body beyond the cap is cut; retry follows the status", async () => {
    const ok = await deliver("/endless", { maxResponseBytes: 1024 });
    assert.deepEqual(ok, { ok: false, status: 200, error: "response_too_large", ms: ok.ms, retry: false });
    const failing = await deliver("/endless-500", { maxResponseBytes: 1024 });
    assert.deepEqual(failing, {
      ok: false,
      status: 500,
      error: "response_too_large",
      ms: failing.ms,
      retry: true,
    });
  });

  test("a closed port fails to connect, a name that does not resolve fails in DNS, both retried", async () => {
    const closed = await deliverWebhook(
      { url: `http://127.0.0.1:${await freePort()}/`, secret },
      event(),
      policy(["127.0.0.1"]),
    );
    assert.deepEqual(closed, {
      ok: false,
      status: null,
      error: "connect_failed",
      ms: closed.ms,
      retry: true,
    });
    const resolve: Resolver = (_hostname, _options, callback) =>
      callback(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }), []);
    const url = "https://nowhere.example.test/";
    const unknown = await deliverWebhook({ url, secret }, event(), policy([]), { resolve });
    assert.deepEqual(unknown, { ok: false, status: null, error: "dns_failed", ms: unknown.ms, retry: true });
  });

  test("a URL that is none is refused", async () => {
    const result = await deliverWebhook({ url: "not a url", secret }, event(), policy([]));
    assert.deepEqual(result, { ok: false, status: null, error: "bad_url", ms: result.ms, retry: false });
  });

  test("a secret that is none is refused without a request", async () => {
    const before = received.length;
    const result = await deliverWebhook(
      { url: local("/ok"), secret: "hunter2" },
      event(),
      policy(["127.0.0.1"]),
    );
    assert.deepEqual(result, {
      ok: false,
      status: null,
      error: "signing_failed",
      ms: result.ms,
      retry: false,
    });
    assert.equal(received.length, before);
  });
});

type Recipe = (secret: string, headers: http.IncomingHttpHeaders, rawBody: string) => boolean;

/** The first js block of docs/webhooks.md's "Verifying a delivery", imported as written. */
async function documentedRecipe(): Promise<Recipe> {
  const markdown = readFileSync(resolve(import.meta.dirname, "../docs/webhooks.md"), "utf8");
  const section = markdown.split(/^## /m).find((part) => part.startsWith("Verifying a delivery\n"));
  const code = /```js\n([\s\S]*?)```/.exec(section ?? "")?.[1];
  assert.ok(code, "docs/webhooks.md has a js block under Verifying a delivery");
  const file = join(dir.path, "recipe.mjs");
  writeFileSync(file, code);
  const module = await import(pathToFileURL(file).href);
  return module.verifyOnetimeWebhook as Recipe;
}
