// The admin pages on two real server processes' worth of the app — two servers listening on real
// sockets — sharing one real redis-server: an ordinary account gets 403 and an anonymous visitor is
// sent to sign in; an admin on one server sees the figures and disables an account, whose session
// on the other server and whose API token stop at once (v1 and v2); the audit log in Redis records
// each of these; and none of the secrets made appears on an admin page or in the log.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type RunningServer, startServer } from "../src/server/start.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";
import { en } from "./support/web-server.js";

const PASSWORD = "correct horse battery";
const ADMIN = "root@example.com";
let redis: RedisServer;
let a: RunningServer;
let b: RunningServer;

before(async () => {
  redis = await startRedis();
  const env = {
    REDIS_URL: redis.url,
    SECRET: TEST_SECRET,
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    LOG_LEVEL: "silent",
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    RATE_LIMIT_ENABLED: "false",
    ADMIN_EMAILS: ADMIN,
  };
  a = await startServer({ env });
  b = await startServer({ env });
});
after(async () => {
  await a?.stop();
  await b?.stop();
  redis?.kill();
});

/** A browser's worth of cookies and the CSRF token of the last page, over real HTTP. */
function browser(base: string) {
  const cookies = new Map<string, string>();
  let csrf = "";
  async function send(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const res = await fetch(`${base}${path}`, { ...init, headers, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair = ""] = line.split(";");
      const [name = "", value = ""] = pair.split("=");
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    const body = await res.text();
    csrf = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? csrf;
    return { status: res.status, location: res.headers.get("location"), body };
  }
  return {
    cookies,
    get: (path: string) => send(path),
    post: (path: string, form: Record<string, string> = {}) =>
      send(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
      }),
  };
}

async function signUp(base: string, email: string) {
  const v = browser(base);
  await v.get("/signup");
  assert.equal((await v.post("/signup", { email, password: PASSWORD })).status, 303);
  return v;
}

test("on Redis, across two servers: 403, sign in, figures, a disabled account stops at once, all recorded", async () => {
  assert.equal(a.deps.store.name, "redis");
  const anonymous = await browser(a.url).get("/admin");
  assert.deepEqual([anonymous.status, anonymous.location], [303, "/signin?next=%2Fadmin"]);

  const admin = await signUp(a.url, ADMIN);
  // Uma signs up on server B and uses it there: her session and her token.
  const uma = await signUp(b.url, "uma@example.com");
  await uma.get("/account");
  await uma.post("/account/token");
  const token = /id="api-token"[^>]*value="([^"]+)"/.exec((await uma.get("/account")).body)?.[1] ?? "";
  // v1 answers every error 404, as upstream does, and names the status it means in a header.
  const v1 = async () => {
    const res = await fetch(`${b.url}/api/v1/private/recent`, {
      headers: { authorization: `Basic ${Buffer.from(`uma@example.com:${token}`).toString("base64")}` },
    });
    return res.status === 404 ? `404 (${res.headers.get("x-ots-intended-status")})` : res.status;
  };
  const v2 = async () =>
    (await fetch(`${b.url}/api/v2/private/recent`, { headers: { authorization: `Bearer ${token}` } })).status;
  assert.deepEqual([(await uma.get("/dashboard")).status, await v1(), await v2()], [200, 200, 200]);
  const forbidden = await uma.get("/admin");
  assert.equal(forbidden.status, 403);
  assert.match(forbidden.body, new RegExp(en("error.forbidden.title")));

  // Secrets made through both servers, one read: the figures count them wherever they were made.
  const made = [];
  for (const [server, secret] of [
    [a, "alpha secret text"],
    [b, "bravo secret text"],
  ] as const) {
    const res = await fetch(`${server.url}/api/v1/share`, {
      method: "POST",
      body: new URLSearchParams({ secret, passphrase: `${secret} passphrase` }),
    });
    made.push((await res.json()) as { secret_key: string; metadata_key: string });
  }
  const read = await fetch(`${b.url}/api/v1/secret/${made[0]?.secret_key}`, {
    method: "POST",
    body: new URLSearchParams({ passphrase: "alpha secret text passphrase" }),
  });
  assert.equal(((await read.json()) as { value: string }).value, "alpha secret text");
  // The admin page flushes its own server's tally (A); B's arrives with its next flush, here now.
  await b.deps.daily.flush();
  const overview = await admin.get("/admin");
  assert.equal(overview.status, 200);
  const today = new Date().toISOString().slice(0, 10);
  const row = new RegExp(`<time datetime="${today}">[^<]*</time></td>([\\s\\S]*?)</tr>`).exec(
    overview.body,
  )?.[1];
  const [created, readCount] = [...(row ?? "").matchAll(/<td[^>]*>(\d+)<\/td>/g)].map((m) => Number(m[1]));
  assert.deepEqual([created, readCount], [2, 1], "today: 2 created (one per server), 1 read");
  assert.match(overview.body, /<dt>Secrets waiting to be read<\/dt><dd>1<\/dd>/);

  // The admin disables Uma on server A; on server B her session and token stop at once.
  const search = await admin.get("/admin/accounts?q=uma");
  const action = /action="(\/admin\/accounts\/[0-9a-f]+\/disable)"/.exec(search.body)?.[1] ?? "";
  const done = await admin.post(action, { q: "uma" });
  assert.equal(done.status, 303);
  const session = await uma.get("/dashboard");
  assert.deepEqual([session.status, session.location], [303, "/signin?next=%2Fdashboard"]);
  assert.equal(await v1(), "404 (401)", "v1's Not authorized: 404, meaning 401");
  assert.equal(await v2(), 401);

  const log = await b.deps.store.audit.list({ now: Date.now(), limit: 100, order: "oldest" });
  const lines = log.map((e) => [e.action, e.actor, e.target, e.outcome]);
  for (const expected of [
    ["admin_denied", "uma@example.com", "", "denied"],
    ["account_disabled", ADMIN, "uma@example.com", "ok"],
    ["api_auth_failed", "anonymous", "uma@example.com", "failed"],
  ]) {
    assert.ok(
      lines.some((l) => JSON.stringify(l) === JSON.stringify(expected)),
      `${expected.join(" ")} in the log`,
    );
  }
  const shown = await admin.get("/admin/audit?about=uma%40example.com");
  assert.match(shown.body, /Account disabled/);

  const everything = [
    overview.body,
    search.body,
    shown.body,
    (await admin.get("/admin/mail")).body,
    JSON.stringify(log),
  ].join("\n");
  for (const value of [
    "alpha secret text",
    "bravo secret text",
    "alpha secret text passphrase",
    "bravo secret text passphrase",
    token,
    PASSWORD,
    ...made.flatMap((m) => [m.secret_key, m.metadata_key]),
  ]) {
    assert.ok(!everything.includes(value), `${value} is not shown`);
  }
});
