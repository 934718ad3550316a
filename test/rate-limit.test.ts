// Rate limits live in the store, so they are checked here through the HTTP surface with small limits:
// per-IP limits on each action, limits shared by two apps on one data directory, the passphrase
// lockout, the kill switch, and which address counts when a proxy is (or is not) trusted.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../src/server/app.js";
import { createRuntime } from "../src/server/runtime.js";
import { basic, makeAccount, makeTestApp, share, TEST_SECRET, type TestApp } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";
import { visitor } from "./support/web-support.js";

const IP_A = "192.0.2.100";
const LIMITED = { message: "Cripes! You have been rate limited." };
const SMALL_LIMITS = {
  RATE_LIMIT_CREATE: "3",
  RATE_LIMIT_REVEAL: "3",
  RATE_LIMIT_METADATA: "3",
  RATE_LIMIT_BURN: "3",
  RATE_LIMIT_STATUS: "3",
};

function post(app: FastifyInstance, url: string, ip: string, headers: Record<string, string> = {}) {
  return app.inject({ method: "POST", url: `/api/v1${url}`, remoteAddress: ip, headers });
}

function get(app: FastifyInstance, url: string, ip: string, headers: Record<string, string> = {}) {
  return app.inject({ method: "GET", url: `/api/v1${url}`, remoteAddress: ip, headers });
}

function assertLimited(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  assert.equal(res.statusCode, 404);
  assert.equal(res.headers["x-ots-intended-status"], "429");
  assert.deepEqual(res.json(), LIMITED);
}

function assertAllowed(res: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  assert.notEqual(res.headers["x-ots-intended-status"], "429", res.body);
}

async function withApp(env: Record<string, string>, fn: (t: TestApp) => Promise<void>) {
  const t = await makeTestApp(env);
  try {
    await fn(t);
  } finally {
    await t.close();
  }
}

/** Moves the app's clock (every action reads deps.now) forward by `seconds`. */
function advance(t: TestApp, seconds: number) {
  const before = t.deps.now;
  t.deps.now = () => before() + seconds * 1000;
}

describe("per-IP limits on each action", () => {
  test("the 4th create from one IP is refused; other IPs are not affected", () =>
    withApp(SMALL_LIMITS, async (t) => {
      for (let i = 0; i < 3; i++) {
        assert.equal((await post(t.app, "/share?secret=s", "203.0.113.1")).statusCode, 200);
      }
      assertLimited(await post(t.app, "/share?secret=s", "203.0.113.1"));
      // Generate shares the create budget.
      assertLimited(await post(t.app, "/generate", "203.0.113.1"));
      assert.equal((await post(t.app, "/share?secret=s", "203.0.113.2")).statusCode, 200);
      assert.equal((await post(t.app, "/generate", "203.0.113.2")).statusCode, 200);
    }));

  test("the 4th reveal from one IP is refused and consumes nothing", () =>
    withApp(SMALL_LIMITS, async (t) => {
      const created = await share(t.app, { secret: "keep me" });
      for (let i = 0; i < 3; i++) {
        const res = await post(t.app, `/secret/unknown${i}`, "203.0.113.1");
        assert.equal(res.json().message, "Unknown secret");
      }
      assertLimited(await post(t.app, `/secret/${created.secret_key}`, "203.0.113.1"));
      const other = await post(t.app, `/secret/${created.secret_key}`, "203.0.113.2");
      assert.equal(other.statusCode, 200);
      assert.equal(other.json().value, "keep me");
    }));

  test("the 4th metadata read from one IP is refused, on every alias and on recent", () =>
    withApp(SMALL_LIMITS, async (t) => {
      const created = await share(t.app, { secret: "s" });
      const key = created.metadata_key;
      assert.equal((await get(t.app, `/private/${key}`, "203.0.113.1")).statusCode, 200);
      assert.equal((await post(t.app, `/metadata/${key}`, "203.0.113.1")).statusCode, 200);
      assert.equal((await get(t.app, `/receipt/${key}`, "203.0.113.1")).statusCode, 200);
      assertLimited(await get(t.app, `/private/${key}`, "203.0.113.1"));
      assertLimited(await get(t.app, `/receipt/${key}`, "203.0.113.1"));
      assert.equal((await get(t.app, `/metadata/${key}`, "203.0.113.2")).statusCode, 200);
    }));

  test("the 4th burn from one IP is refused and destroys nothing", () =>
    withApp(SMALL_LIMITS, async (t) => {
      const created = await share(t.app, { secret: "still here" });
      for (let i = 0; i < 3; i++) {
        const res = await post(t.app, `/private/unknown${i}/burn`, "203.0.113.1");
        assert.equal(res.json().message, "Unknown secret");
      }
      assertLimited(await post(t.app, `/private/${created.metadata_key}/burn`, "203.0.113.1"));
      const reveal = await post(t.app, `/secret/${created.secret_key}`, "203.0.113.2");
      assert.equal(reveal.json().value, "still here");
    }));

  test("status has its own limit", () =>
    withApp(SMALL_LIMITS, async (t) => {
      for (let i = 0; i < 3; i++) assert.equal((await get(t.app, "/status", "203.0.113.1")).statusCode, 200);
      assertLimited(await get(t.app, "/status", "203.0.113.1"));
      assert.equal((await get(t.app, "/status", "203.0.113.2")).statusCode, 200);
    }));

  test("actions have separate budgets", () =>
    withApp(SMALL_LIMITS, async (t) => {
      for (let i = 0; i < 3; i++) await post(t.app, "/share?secret=s", "203.0.113.1");
      assertLimited(await post(t.app, "/share?secret=s", "203.0.113.1"));
      assert.equal((await post(t.app, "/secret/abc", "203.0.113.1")).json().message, "Unknown secret");
      assert.equal((await get(t.app, "/private/abc", "203.0.113.1")).json().message, "Unknown secret");
      assert.equal((await post(t.app, "/private/abc/burn", "203.0.113.1")).json().message, "Unknown secret");
    }));

  test("the budget comes back when the window ends", () =>
    withApp({ ...SMALL_LIMITS, RATE_LIMIT_WINDOW: "60" }, async (t) => {
      for (let i = 0; i < 3; i++) await post(t.app, "/share?secret=s", "203.0.113.1");
      assertLimited(await post(t.app, "/share?secret=s", "203.0.113.1"));
      advance(t, 59);
      assertLimited(await post(t.app, "/share?secret=s", "203.0.113.1"));
      advance(t, 2);
      assert.equal((await post(t.app, "/share?secret=s", "203.0.113.1")).statusCode, 200);
    }));
});

test("two apps on one data directory share the counters (the limit holds across processes)", async () => {
  using dir = tempDir("onetime-rl-");
  const dataDir = dir.path;
  const env = { DATA_DIR: dataDir, SECRET: TEST_SECRET, LOG_LEVEL: "silent", ...SMALL_LIMITS };
  const runtimes = [await createRuntime({ env }), await createRuntime({ env })];
  const [a, b] = await Promise.all(runtimes.map((r) => buildApp(r.deps)));
  try {
    assert.ok(a !== undefined && b !== undefined);
    assert.equal((await post(a, "/share?secret=s", "198.51.100.7")).statusCode, 200);
    assert.equal((await post(b, "/share?secret=s", "198.51.100.7")).statusCode, 200);
    assert.equal((await post(a, "/share?secret=s", "198.51.100.7")).statusCode, 200);
    assertLimited(await post(b, "/share?secret=s", "198.51.100.7"));
    assertLimited(await post(a, "/share?secret=s", "198.51.100.7"));
    assert.equal((await post(b, "/share?secret=s", "198.51.100.8")).statusCode, 200);
  } finally {
    await Promise.all([a?.close(), b?.close()]);
    await Promise.all(runtimes.map((r) => r.close()));
  }
});

describe("failed passphrases", () => {
  const reveal = (t: TestApp, key: string, ip: string, passphrase: string) =>
    post(t.app, `/secret/${key}?passphrase=${encodeURIComponent(passphrase)}`, ip);
  const IPS = ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.5"] as const;

  test("5 wrong from one IP lock that IP out, even with the right passphrase; others still reveal", () =>
    withApp({}, async (t) => {
      const created = await share(t.app, { secret: "locked", passphrase: "right" });
      for (let i = 0; i < 5; i++) {
        const res = await reveal(t, created.secret_key, IPS[0], `wrong${i}`);
        assert.deepEqual(res.json(), { message: "Unknown secret", secret_key: created.secret_key });
      }
      assertLimited(await reveal(t, created.secret_key, IPS[0], "right"));
      const other = await reveal(t, created.secret_key, IPS[1], "right");
      assert.equal(other.statusCode, 200);
      assert.equal(other.json().value, "locked");
    }));

  test("20 wrong in total lock the secret for everyone; it is never consumed; the lock ends", () =>
    withApp({}, async (t) => {
      const created = await share(t.app, { secret: "guarded", passphrase: "right" });
      for (const ip of IPS.slice(0, 4)) {
        for (let i = 0; i < 5; i++) {
          const res = await reveal(t, created.secret_key, ip, `wrong-${ip}-${i}`);
          assert.equal(res.json().message, "Unknown secret");
        }
      }
      assertLimited(await reveal(t, created.secret_key, IPS[4], "right"));
      assertLimited(await reveal(t, created.secret_key, "2001:db8::1", "right"));

      // The secret is intact: its receipt still offers it.
      const receipt = (await get(t.app, `/private/${created.metadata_key}`, IPS[4])).json();
      assert.equal(receipt.secret_key, created.secret_key);
      assert.equal(receipt.passphrase_required, true);

      advance(t, 1799);
      assertLimited(await reveal(t, created.secret_key, IPS[4], "right"));
      advance(t, 2);
      const res = await reveal(t, created.secret_key, IPS[4], "right");
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().value, "guarded");
    }));

  test("a per-IP lock ends after PASSPHRASE_LOCKOUT", () =>
    withApp({ PASSPHRASE_LOCKOUT: "300" }, async (t) => {
      const created = await share(t.app, { secret: "later", passphrase: "right" });
      for (let i = 0; i < 5; i++) await reveal(t, created.secret_key, IPS[0], "wrong");
      assertLimited(await reveal(t, created.secret_key, IPS[0], "right"));
      advance(t, 301);
      assert.equal((await reveal(t, created.secret_key, IPS[0], "right")).json().value, "later");
    }));

  test("wrong passphrases on burn count too, and burn nothing: the receipt link has its own lock", () =>
    withApp({ PASSPHRASE_ATTEMPTS_PER_IP: "3" }, async (t) => {
      const created = await share(t.app, { secret: "unburnt", passphrase: "right" });
      const burn = (ip: string, passphrase: string) =>
        post(t.app, `/private/${created.metadata_key}/burn?passphrase=${passphrase}`, ip);
      for (let i = 0; i < 3; i++) {
        assert.deepEqual((await burn(IPS[0], "wrong")).json(), { message: "Double check that passphrase" });
      }
      assertLimited(await burn(IPS[0], "right"));
      assert.equal((await burn(IPS[1], "wrong")).json().message, "Double check that passphrase");
      // Guessing through the receipt link does not lock the secret link's reader out.
      assert.equal((await reveal(t, created.secret_key, IPS[0], "right")).json().value, "unburnt");
    }));

  test("guesses at the secret link, locking it for everyone, do not stop its owner burning it", () =>
    withApp({}, async (t) => {
      const owner = await makeAccount(t.deps);
      const auth = { authorization: owner.authorization };
      const mine = await share(t.app, { secret: "mine", passphrase: "right" }, auth);
      const anonymous = await share(t.app, { secret: "made anonymously", passphrase: "right" });
      for (const made of [mine, anonymous]) {
        for (const ip of IPS.slice(0, 4)) {
          for (let i = 0; i < 5; i++) await reveal(t, made.secret_key, ip, `wrong-${i}`);
        }
        assertLimited(await reveal(t, made.secret_key, IPS[4], "right"));
      }
      // The owner, on the API with its token (the passphrase still asked, as upstream), from an
      // address that guessed too; and whoever holds an anonymous secret's receipt link.
      const burned = await post(t.app, `/private/${mine.metadata_key}/burn?passphrase=right`, IPS[0], auth);
      assert.equal(burned.statusCode, 200, burned.body);
      assert.equal(burned.json().state.state, "burned");
      const other = await post(t.app, `/private/${anonymous.metadata_key}/burn?passphrase=right`, IPS[4]);
      assert.equal(other.statusCode, 200, other.body);
      assert.equal((await reveal(t, mine.secret_key, IPS[4], "right")).json().message, "Unknown secret");
    }));

  test("failures older than the window do not add up", () =>
    withApp({ PASSPHRASE_ATTEMPTS_WINDOW: "600" }, async (t) => {
      const created = await share(t.app, { secret: "patient", passphrase: "right" });
      for (let i = 0; i < 4; i++) await reveal(t, created.secret_key, IPS[0], "wrong");
      advance(t, 601);
      for (let i = 0; i < 4; i++) await reveal(t, created.secret_key, IPS[0], "wrong");
      assert.equal((await reveal(t, created.secret_key, IPS[0], "right")).json().value, "patient");
    }));

  test("locks are per secret", () =>
    withApp({}, async (t) => {
      const first = await share(t.app, { secret: "one", passphrase: "right" });
      const second = await share(t.app, { secret: "two", passphrase: "right" });
      for (let i = 0; i < 5; i++) await reveal(t, first.secret_key, IPS[0], "wrong");
      assertLimited(await reveal(t, first.secret_key, IPS[0], "right"));
      assert.equal((await reveal(t, second.secret_key, IPS[0], "right")).json().value, "two");
    }));

  test("on the web page, a wrong passphrase costs one read and one reveal from the budget", () =>
    withApp({ RATE_LIMIT_REVEAL: "3" }, async (t) => {
      const created = await share(t.app, { secret: "worth one try", passphrase: "right" });
      const path = `/secret/${created.secret_key}`;
      const v = visitor(t.app);
      assert.equal((await v.get(path)).statusCode, 200); // 1 of 3
      const secrets = t.deps.store.secrets;
      const peek = secrets.peek;
      let reads = 0;
      secrets.peek = (...args) => {
        reads++;
        return peek.apply(secrets, args);
      };
      const wrong = await v.post(path, { passphrase: "wrong" }); // 2 of 3
      secrets.peek = peek;
      assert.equal(wrong.statusCode, 403);
      assert.match(wrong.body, /id="passphrase"/, "the form asks for the passphrase again");
      assert.equal(reads, 1, "the page comes back from the reveal's own answer");
      const right = await v.post(path, { passphrase: "right" }); // 3 of 3: still within the limit
      assert.equal(right.statusCode, 200);
      assert.match(right.body, /worth one try/);
    }));
});

describe("failed API authentication", () => {
  const authcheck = (t: TestApp, ip: string, authorization: string) =>
    get(t.app, "/authcheck", ip, { authorization });

  test("RATE_LIMIT_AUTH_FAILURES wrong tokens from one IP: then even the right one is refused there", () =>
    withApp({ RATE_LIMIT_AUTH_FAILURES: "3" }, async (t) => {
      const { email, authorization } = await makeAccount(t.deps);
      // Right credentials do not count.
      for (let i = 0; i < 5; i++) assert.equal((await authcheck(t, IP_A, authorization)).statusCode, 200);
      const wrong = [basic(email, "not-the-token"), basic("nobody@example.com", "x"), "Basic !!!"];
      for (const header of wrong) {
        assert.equal((await authcheck(t, IP_A, header)).headers["x-ots-intended-status"], "401");
      }
      assertLimited(await authcheck(t, IP_A, authorization));
      assertLimited(await authcheck(t, IP_A, wrong[0] ?? ""));
      // Without credentials the caller is anonymous, and anonymous use goes on; other IPs too.
      assert.equal((await post(t.app, "/share?secret=s", IP_A)).statusCode, 200);
      assert.equal((await authcheck(t, "192.0.2.200", authorization)).statusCode, 200);
      advance(t, 1201);
      assert.equal((await authcheck(t, IP_A, authorization)).statusCode, 200, "the window ends");
    }));
});

test("RATE_LIMIT_ENABLED=false turns every limit off", () =>
  withApp({ ...SMALL_LIMITS, RATE_LIMIT_ENABLED: "false", PASSPHRASE_ATTEMPTS_PER_IP: "1" }, async (t) => {
    for (let i = 0; i < 6; i++) {
      assert.equal((await post(t.app, "/share?secret=s", "203.0.113.1")).statusCode, 200);
      assertAllowed(await post(t.app, `/secret/x${i}`, "203.0.113.1"));
      assertAllowed(await get(t.app, `/private/x${i}`, "203.0.113.1"));
      assertAllowed(await post(t.app, `/private/x${i}/burn`, "203.0.113.1"));
      assert.equal((await get(t.app, "/status", "203.0.113.1")).statusCode, 200);
    }
    const created = await share(t.app, { secret: "open", passphrase: "right" });
    for (let i = 0; i < 6; i++) {
      const res = await post(t.app, `/secret/${created.secret_key}?passphrase=wrong`, "203.0.113.1");
      assert.equal(res.json().message, "Unknown secret");
    }
    const res = await post(t.app, `/secret/${created.secret_key}?passphrase=right`, "203.0.113.1");
    assert.equal(res.json().value, "open");
  }));

describe("which address is the client", () => {
  const create = (t: TestApp, remote: string, forwardedFor?: string) =>
    post(
      t.app,
      "/share?secret=s",
      remote,
      forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
    );

  test("without a trusted proxy, X-Forwarded-For is ignored", () =>
    withApp(SMALL_LIMITS, async (t) => {
      for (const xff of ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) {
        assert.equal((await create(t, "127.0.0.1", xff)).statusCode, 200);
      }
      assertLimited(await create(t, "127.0.0.1", "4.4.4.4"));
      assertLimited(await create(t, "127.0.0.1"));
    }));

  test("behind a trusted proxy, each forwarded client has its own budget", () =>
    withApp(
      { ...SMALL_LIMITS, TRUSTED_PROXY_ENABLED: "true", TRUSTED_PROXY_CIDRS: "127.0.0.1" },
      async (t) => {
        for (let i = 0; i < 3; i++) assert.equal((await create(t, "127.0.0.1", "1.1.1.1")).statusCode, 200);
        assertLimited(await create(t, "127.0.0.1", "1.1.1.1"));
        assert.equal((await create(t, "127.0.0.1", "2.2.2.2")).statusCode, 200);
        // A client cannot escape its budget by prepending a forged address: the proxy appends the real one.
        assertLimited(await create(t, "127.0.0.1", "9.9.9.9, 1.1.1.1"));
      },
    ));

  test("a sender outside the trusted ranges cannot pick its address", () =>
    withApp(
      { ...SMALL_LIMITS, TRUSTED_PROXY_ENABLED: "true", TRUSTED_PROXY_CIDRS: "127.0.0.1" },
      async (t) => {
        for (const xff of ["1.1.1.1", "2.2.2.2", "3.3.3.3"]) {
          assert.equal((await create(t, "198.51.100.9", xff)).statusCode, 200);
        }
        assertLimited(await create(t, "198.51.100.9", "5.5.5.5"));
      },
    ));

  test("IPv6 addresses count by their /64: a host cannot spread over its prefix; the next /64 is apart", () =>
    withApp(SMALL_LIMITS, async (t) => {
      for (let i = 1; i <= 3; i++) assert.equal((await create(t, `2001:db8:1:2::${i}`)).statusCode, 200);
      assertLimited(await create(t, "2001:db8:1:2:ffff:ffff:ffff:4"));
      assert.equal((await create(t, "2001:db8:1:3::1")).statusCode, 200);
      // The passphrase lock-out too: five addresses of one /64 lock that /64 out.
      const made = await share(t.app, { secret: "v6", passphrase: "right" });
      const guess = (ip: string, passphrase: string) =>
        post(t.app, `/secret/${made.secret_key}?passphrase=${passphrase}`, ip);
      for (let i = 1; i <= 5; i++) await guess(`2001:db8:9:9::${i}`, "wrong");
      assertLimited(await guess("2001:db8:9:9::99", "right"));
      assert.equal((await guess("2001:db8:9:a::1", "right")).json().value, "v6");
    }));

  test("RATE_LIMIT_IPV6_PREFIX=128 counts each IPv6 address alone; IPv4 is always exact", () =>
    withApp({ ...SMALL_LIMITS, RATE_LIMIT_IPV6_PREFIX: "128" }, async (t) => {
      for (let i = 1; i <= 4; i++) assert.equal((await create(t, `2001:db8:1:2::${i}`)).statusCode, 200);
      for (let i = 1; i <= 4; i++) assert.equal((await create(t, `192.0.2.${i}`)).statusCode, 200);
    }));

  test("TRUSTED_PROXY_DEPTH trusts that many hops", () =>
    withApp({ ...SMALL_LIMITS, TRUSTED_PROXY_ENABLED: "true", TRUSTED_PROXY_DEPTH: "1" }, async (t) => {
      for (let i = 0; i < 3; i++) {
        assert.equal((await create(t, "10.0.0.1", `7.7.7.${i}, 1.1.1.1`)).statusCode, 200);
      }
      assertLimited(await create(t, "10.0.0.2", "8.8.8.8, 1.1.1.1"));
      assert.equal((await create(t, "10.0.0.1", "1.1.1.2")).statusCode, 200);
    }));
});
