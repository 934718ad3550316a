// Where links point. With HOST unset, the v1 reveal answer's share_domain and the receipt page's link
// name the host the client used (a visitor at secrets.lan:3000 gets secrets.lan:3000, not localhost);
// behind a trusted proxy, the host and scheme it forwards. A malformed Host is refused before anything
// runs. With HOST set, the Host header shapes nothing. A mail always names HOST, whatever Host a
// request carried. Every request here goes over a real socket with its own Host header.
import assert from "node:assert/strict";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { type RunningServer, startServer } from "../src/server/start.js";
import { makeAccount, TEST_SECRET } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";
import { tempDir } from "./support/temp.js";

interface Answer {
  status: number;
  body: string;
}

/** One request to `server` on 127.0.0.1 with exactly the Host header given (none when null). */
function call(
  server: RunningServer,
  { method = "GET", path, host, headers = {}, form }: CallOptions,
): Promise<Answer> {
  const { port } = new URL(server.url);
  const body = form === undefined ? undefined : new URLSearchParams(form).toString();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method,
        path,
        setHost: false,
        headers: {
          ...(host === null ? {} : { host }),
          ...(body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
          ...headers,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface CallOptions {
  method?: string;
  path: string;
  host: string | null;
  headers?: Record<string, string>;
  form?: Record<string, string>;
}

const METRICS_TOKEN = "links-test-metrics-token-0123456789";

/** onetime_secrets_created_total from /metrics (behind METRICS_TOKEN, as serve() sets it). */
async function createdCount(server: RunningServer): Promise<number> {
  const metrics = await call(server, {
    path: "/metrics",
    host: "localhost",
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  const line = metrics.body.split("\n").find((l) => l.startsWith("onetime_secrets_created_total "));
  return Number(line?.split(" ")[1] ?? Number.NaN);
}

/** Everything a socket sends until it closes. */
async function text(socket: Socket): Promise<string> {
  let out = "";
  socket.setEncoding("utf8");
  for await (const chunk of socket) out += chunk;
  return out;
}

const quiet = () => new Writable({ write: (_chunk, _enc, done) => done() });

/** A real server on a loopback port and a fresh data directory; stop() removes the directory. */
async function serve(env: Record<string, string>): Promise<RunningServer> {
  const dir = tempDir("onetime-links-");
  const server = await startServer({
    env: {
      PORT: "0",
      BIND_ADDRESS: "127.0.0.1",
      DATA_DIR: dir.path,
      SECRET: TEST_SECRET,
      METRICS_TOKEN,
      ...env,
    },
    logStream: quiet(),
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      dir.remove();
    },
  };
}

/** Shares a secret through v1 as `host` sees the site; returns its keys. */
async function share(server: RunningServer, host: string) {
  const made = await call(server, { method: "POST", path: "/api/v1/share", host, form: { secret: "s" } });
  assert.equal(made.status, 200, made.body);
  return JSON.parse(made.body) as { secret_key: string; metadata_key: string };
}

async function revealedOrigin(server: RunningServer, host: string, headers: Record<string, string> = {}) {
  const { secret_key } = await share(server, host);
  const res = await call(server, { method: "POST", path: `/api/v1/secret/${secret_key}`, host, headers });
  assert.equal(res.status, 200, res.body);
  return (JSON.parse(res.body) as { share_domain: string }).share_domain;
}

/** The link on the web receipt page, read as `host` sees the site. */
async function receiptLink(server: RunningServer, host: string, headers: Record<string, string> = {}) {
  const { secret_key, metadata_key } = await share(server, host);
  const page = await call(server, {
    path: `/receipt/${metadata_key}`,
    host,
    headers: { accept: "text/html", ...headers },
  });
  assert.equal(page.status, 200);
  const link = /id="share-link"[^>]*value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  assert.ok(link.endsWith(`/secret/${secret_key}`), `a share link on the page: ${link}`);
  return link.slice(0, -`/secret/${secret_key}`.length);
}

describe("HOST unset: links follow the request's host", () => {
  let server: RunningServer;
  before(async () => {
    server = await serve({});
  });
  after(() => server.stop());

  test("v1's share_domain names the host each client used", async () => {
    assert.equal(await revealedOrigin(server, "secrets.lan:3000"), "http://secrets.lan:3000");
    assert.equal(await revealedOrigin(server, "10.0.0.7:8080"), "http://10.0.0.7:8080");
    assert.equal(await revealedOrigin(server, "[fd00::7]:3000"), "http://[fd00::7]:3000");
    assert.equal(await revealedOrigin(server, "Secrets.LAN"), "http://secrets.lan");
    assert.equal(await revealedOrigin(server, "onetime_app:3000"), "http://onetime_app:3000");
  });

  test("the receipt page's link names the host each visitor used", async () => {
    assert.equal(await receiptLink(server, "secrets.lan:3000"), "http://secrets.lan:3000");
    assert.equal(await receiptLink(server, "192.168.1.20:3000"), "http://192.168.1.20:3000");
  });

  test("forwarded host and scheme are ignored from a client that is not a trusted proxy", async () => {
    const forged = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };
    assert.equal(await revealedOrigin(server, "secrets.lan:3000", forged), "http://secrets.lan:3000");
    assert.equal(await receiptLink(server, "secrets.lan:3000", forged), "http://secrets.lan:3000");
  });

  test("a malformed or missing Host is refused, and nothing is created", async () => {
    const before = await createdCount(server);
    for (const host of ["evil.example/path", "user@secrets.lan", "a b", "", "secrets.lan:3000, evil"]) {
      const res = await call(server, {
        method: "POST",
        path: "/api/v1/share",
        host,
        form: { secret: "never stored" },
      });
      assert.equal(res.status, 400, `Host ${JSON.stringify(host)}`);
      assert.match(res.body, /Host header must be a host name/);
    }
    const page = await call(server, { path: "/", host: "evil.example/x", headers: { accept: "text/html" } });
    assert.equal(page.status, 400);
    // HTTP/1.1 without Host is refused by Node itself; HTTP/1.0 may omit it, and reaches the check.
    const { port } = new URL(server.url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.end(
      "POST /api/v1/share HTTP/1.0\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
        "Content-Length: 8\r\n\r\nsecret=x",
    );
    const raw = await text(socket);
    assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
    assert.match(raw, /Host header must be a host name/);
    assert.equal(await createdCount(server), before);
  });
});

describe("HOST unset behind a trusted proxy: the forwarded host and scheme", () => {
  let server: RunningServer;
  before(async () => {
    server = await serve({ TRUSTED_PROXY_ENABLED: "true", TRUSTED_PROXY_CIDRS: "127.0.0.1" });
  });
  after(() => server.stop());

  test("X-Forwarded-Host and X-Forwarded-Proto from the proxy shape v1 and web links", async () => {
    const forwarded = { "x-forwarded-host": "secrets.example.com", "x-forwarded-proto": "https" };
    assert.equal(await revealedOrigin(server, "app:3000", forwarded), "https://secrets.example.com");
    assert.equal(await receiptLink(server, "app:3000", forwarded), "https://secrets.example.com");
  });

  test("a forwarded host that is not a host name is refused", async () => {
    const res = await call(server, {
      path: "/api/v1/status",
      host: "app:3000",
      headers: { "x-forwarded-host": "evil.example/x" },
    });
    assert.equal(res.status, 400);
  });
});

describe("HOST set: the Host header shapes nothing", () => {
  let server: RunningServer;
  before(async () => {
    server = await serve({ HOST: "secrets.example.com", SSL: "true" });
  });
  after(() => server.stop());

  test("links name HOST whatever Host the client sent, and an odd Host is not refused", async () => {
    assert.equal(await revealedOrigin(server, "evil.example"), "https://secrets.example.com");
    assert.equal(await receiptLink(server, "evil.example:8080"), "https://secrets.example.com");
    const odd = await call(server, { path: "/api/v1/status", host: "odd host" });
    assert.equal(odd.status, 200);
  });
});

describe("mail: links name HOST, never the request's Host", () => {
  let smtp: TestSmtp;
  let server: RunningServer;
  before(async () => {
    smtp = await startSmtp(await freePort());
    server = await serve({
      HOST: "secrets.example.com",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(smtp.port),
    });
  });
  after(async () => {
    await server.stop();
    await smtp.close();
  });

  test("a share with a recipient, sent with a forged Host, mails a link on HOST", async () => {
    const { authorization } = await makeAccount(server.deps, "alice@example.com");
    const made = await call(server, {
      method: "POST",
      path: "/api/v1/share",
      host: "evil.example",
      headers: { authorization },
      form: { secret: "mailed", recipient: "bob@example.net" },
    });
    assert.equal(made.status, 200, made.body);
    const { secret_key } = JSON.parse(made.body) as { secret_key: string };
    const [mail] = await smtp.waitFor(1);
    assert.ok(mail?.text.includes(`http://secrets.example.com/secret/${secret_key}`), mail?.text);
    assert.ok(!mail?.raw.includes("evil.example"));
  });
});
