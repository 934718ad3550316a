// Lock-outs under parallel guesses (issue 16, point 1): each check is reserved in the store before
// its argon2 run, so a burst sent all at once gets no more evaluations than the limit, the right
// answer that follows is refused while locked, and right guesses in flight are never refused. Real
// store, real concurrency (every request in flight together), on SQLite and Redis.
import assert from "node:assert/strict";
import { after, before, describe, type TestContext, test } from "node:test";
import { signIn } from "../src/actions/sign-in.js";
import { signUp } from "../src/actions/sign-up.js";
import { isAppError } from "../src/domain/errors.js";
import { makeTestApp, share } from "./support/helpers.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";

const PER_IP = 5; // PASSPHRASE limit per IP (the default)
const TOTAL = 20; // PASSPHRASE_ATTEMPTS_TOTAL (the default)
const PER_ACCOUNT = 10; // sign-in failures per account (the default)

async function passphraseBurst(t: TestContext, env: Record<string, string>) {
  const app = await makeTestApp({ ...env, RATE_LIMIT_REVEAL: "1000" });
  t.after(() => app.close());
  const created = await share(app.app, { secret: "guarded", passphrase: "right" });
  const reveal = (passphrase: string, ip: string) =>
    app.app.inject({
      method: "POST",
      url: `/api/v1/secret/${created.secret_key}?passphrase=${encodeURIComponent(passphrase)}`,
      remoteAddress: ip,
    });

  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) => reveal(`wrong${i}`, "198.51.100.7")),
  );
  const wrong = answers.filter((r) => r.headers["x-ots-intended-status"] !== "429").length;
  const limited = answers.length - wrong;
  t.diagnostic(`evaluated (answered wrong passphrase): ${wrong} of 100; refused: ${limited}`);
  for (const r of answers) {
    if (r.headers["x-ots-intended-status"] !== "429") assert.equal(r.json().message, "Unknown secret");
  }
  assert.ok(wrong >= 1 && wrong <= PER_IP, `${wrong} wrong passphrases were evaluated`);

  const right = await reveal("right", "198.51.100.7");
  assert.equal(right.headers["x-ots-intended-status"], "429", "locked even with the right passphrase");
  assert.equal(right.json().value, undefined);
  const other = await reveal("right", "198.51.100.8");
  assert.equal(other.json().value, "guarded", "another IP still reveals: nothing was consumed");
}

async function spreadBurst(t: TestContext, env: Record<string, string>) {
  const app = await makeTestApp({ ...env, RATE_LIMIT_REVEAL: "1000" });
  t.after(() => app.close());
  const created = await share(app.app, { secret: "guarded", passphrase: "right" });
  const answers = await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      app.app.inject({
        method: "POST",
        url: `/api/v1/secret/${created.secret_key}?passphrase=wrong${i}`,
        remoteAddress: `198.51.100.${10 + (i % 10)}`,
      }),
    ),
  );
  const wrong = answers.filter((r) => r.headers["x-ots-intended-status"] !== "429").length;
  t.diagnostic(`evaluated (answered wrong passphrase): ${wrong} of 100 from 10 IPs`);
  assert.ok(wrong >= 1 && wrong <= TOTAL, `${wrong} wrong passphrases were evaluated`);
}

async function rightBurst(t: TestContext, env: Record<string, string>) {
  const app = await makeTestApp(env);
  t.after(() => app.close());
  const created = await share(app.app, { secret: "once", passphrase: "right" });
  // Right guesses in flight are not failures: none is refused, one reads, the rest find it gone.
  const answers = await Promise.all(
    Array.from({ length: 64 }, () =>
      app.app.inject({ method: "POST", url: `/api/v1/secret/${created.secret_key}?passphrase=right` }),
    ),
  );
  assert.equal(answers.filter((r) => r.statusCode === 200).length, 1);
  for (const r of answers.filter((a) => a.statusCode !== 200)) {
    assert.equal(r.json().message, "Unknown secret", r.body);
  }
}

/** Two apps on one store (two processes, as far as the lock is concerned): the waits are polled. */
async function twoAppsBurst(t: TestContext, env: Record<string, string>) {
  const first = await makeTestApp(env);
  const second = await makeTestApp({ ...env, DATA_DIR: first.dataDir });
  t.after(async () => {
    await second.close();
    await first.close();
  });
  const apps = [first.app, second.app];
  const burst = (key: string, passphrase: (i: number) => string) =>
    Promise.all(
      Array.from({ length: 64 }, (_, i) =>
        (apps[i % 2] ?? first.app).inject({
          method: "POST",
          url: `/api/v1/secret/${key}?passphrase=${passphrase(i)}`,
          remoteAddress: "198.51.100.9",
        }),
      ),
    );
  const guarded = await share(first.app, { secret: "guarded", passphrase: "right" });
  const wrong = (await burst(guarded.secret_key, (i) => `wrong${i}`)).filter(
    (r) => r.headers["x-ots-intended-status"] !== "429",
  ).length;
  t.diagnostic(`evaluated over two apps: ${wrong} of 64`);
  assert.ok(wrong >= 1 && wrong <= PER_IP, `${wrong} wrong passphrases were evaluated`);

  const once = await share(first.app, { secret: "once", passphrase: "right" });
  const answers = await burst(once.secret_key, () => "right");
  assert.equal(answers.filter((r) => r.statusCode === 200).length, 1);
  for (const r of answers.filter((a) => a.statusCode !== 200)) {
    assert.equal(r.json().message, "Unknown secret", r.body);
  }
}

async function signinBurst(t: TestContext, env: Record<string, string>) {
  const app = await makeTestApp({ ...env, AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
  t.after(() => app.close());
  const anonymous = (ip: string) => ({ ip, account: null });
  const email = "alice@example.com";
  const password = "correct horse battery";
  await signUp(app.deps, anonymous("203.0.113.1"), { email, password, locale: null });

  const ips = ["203.0.113.10", "203.0.113.11", "203.0.113.12"];
  const outcomes = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      signIn(app.deps, anonymous(ips[i % 3] as string), { email, password: `wrong${i}` }).then(
        () => "signed in",
        (e: unknown) => (isAppError(e) ? e.code : String(e)),
      ),
    ),
  );
  const evaluated = outcomes.filter((o) => o === "bad_credentials").length;
  const refused = outcomes.filter((o) => o === "rate_limited").length;
  t.diagnostic(`evaluated (bad credentials): ${evaluated} of 60; refused: ${refused}`);
  assert.equal(evaluated + refused, 60, outcomes.join(","));
  assert.ok(evaluated >= 1 && evaluated <= PER_ACCOUNT, `${evaluated} wrong passwords were evaluated`);

  await assert.rejects(
    signIn(app.deps, anonymous("203.0.113.13"), { email, password }),
    (e) => isAppError(e, "rate_limited"),
    "locked even with the right password",
  );
}

const PASSPHRASE_BURST =
  "100 parallel wrong passphrases from one IP: at most the limit evaluated, then the right one is refused";
const SPREAD_BURST = "100 parallel wrong passphrases from 10 IPs: at most the total limit evaluated";
const RIGHT_BURST = "64 parallel right passphrases from one IP: one reads, none is refused";
const TWO_APPS =
  "64 parallel guesses split over two apps on one store: the limit holds, right ones read once";
const SIGNIN_BURST =
  "60 parallel wrong passwords for one account from 3 IPs: at most the limit evaluated, then locked";

describe("on SQLite", () => {
  test(PASSPHRASE_BURST, (t) => passphraseBurst(t, {}));
  test(SPREAD_BURST, (t) => spreadBurst(t, {}));
  test(RIGHT_BURST, (t) => rightBurst(t, {}));
  test(TWO_APPS, (t) => twoAppsBurst(t, {}));
  test(SIGNIN_BURST, (t) => signinBurst(t, {}));
});

describe("on Redis", () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis.kill());
  test(PASSPHRASE_BURST, (t) => passphraseBurst(t, { REDIS_URL: redis.url }));
  test(SPREAD_BURST, (t) => spreadBurst(t, { REDIS_URL: redis.url }));
  test(RIGHT_BURST, (t) => rightBurst(t, { REDIS_URL: redis.url }));
  test(TWO_APPS, (t) => twoAppsBurst(t, { REDIS_URL: redis.url }));
  test(SIGNIN_BURST, (t) => signinBurst(t, { REDIS_URL: redis.url }));
});
