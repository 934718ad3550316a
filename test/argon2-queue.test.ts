// One client flooding passphrase guesses must not stall everyone else's passphrase (issue 16, point
// 3): argon2 runs go through a bounded queue with a fair share per client. The flood spreads over
// 60 secrets (5 guesses each, so the per-secret lock-out lets every one through to argon2); another
// client's reveal, sent once the flood is in, must still finish quickly, and the flood gets fast
// refusals with Retry-After. The one timing assertion of the suite is here, with a wide bound.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { clientKey } from "../src/actions/rate-limit.js";
import { makeTestApp, share } from "./support/helpers.js";
import { visitor } from "./support/web-support.js";

const FLOODER = "198.51.100.66";
const OTHER = "203.0.113.77";
const SECRETS = 60;
const GUESSES = 300;

test(`one client's ${GUESSES} parallel wrong guesses: another client's passphrase reveal stays under 1 s, the flood is refused fast`, async (t) => {
  // A deep share for the flooder (48 of the queue's 64 runs), so that its own backlog is long: the
  // other client's reveal is quick only if it is served in its turn, not after that backlog.
  const app = await makeTestApp({ ARGON2_QUEUE_MAX: "64", ARGON2_QUEUE_PER_CLIENT: "48" });
  t.after(() => app.close());
  const created: { secret_key: string }[] = [];
  for (let i = 0; i < SECRETS; i++) {
    created.push(await share(app.app, { secret: `flood-${i}`, passphrase: `right-${i}` }));
  }
  const mine = await share(app.app, { secret: "mine", passphrase: "my own passphrase" });

  let answered = 0;
  let firstAnswer: () => void = () => {};
  const first = new Promise<void>((resolve) => {
    firstAnswer = resolve;
  });
  const floodStarted = performance.now();
  const flood = Array.from({ length: GUESSES }, (_, i) => {
    const target = created[i % SECRETS]?.secret_key ?? "";
    return app.app
      .inject({
        method: "POST",
        url: `/api/v1/secret/${target}?passphrase=wrong-${i}`,
        remoteAddress: FLOODER,
      })
      .then((res) => {
        answered++;
        if (res.json().message === "Unknown secret") firstAnswer();
        return { res, ms: performance.now() - floodStarted };
      });
  });
  // The first wrong-passphrase answer: the flood's guesses are queued for argon2 and running.
  await first;
  const sent = performance.now();
  const before = `${answered} flood answers in, ${app.deps.hashQueue?.load() ?? "?"} runs queued`;
  const other = await app.app.inject({
    method: "POST",
    url: `/api/v1/secret/${mine.secret_key}?passphrase=${encodeURIComponent("my own passphrase")}`,
    remoteAddress: OTHER,
  });
  const otherMs = performance.now() - sent;
  const answers = await Promise.all(flood);

  const refused = answers.filter(({ res }) => res.headers["x-ots-intended-status"] === "429");
  const checked = answers.filter(({ res }) => res.json().message === "Unknown secret");
  const slowestRefusal = Math.max(0, ...refused.map((a) => a.ms));
  const floodEnd = Math.max(...answers.map((a) => a.ms));
  t.diagnostic(
    `other client's reveal: ${Math.round(otherMs)} ms (sent with ${before}); flood: ${checked.length} checked, ${refused.length} refused, slowest refusal ${Math.round(slowestRefusal)} ms, flood done in ${Math.round(floodEnd)} ms`,
  );

  assert.equal(other.statusCode, 200, other.body);
  assert.equal(other.json().value, "mine");
  assert.ok(otherMs < 1000, `the other client's reveal took ${Math.round(otherMs)} ms`);
  assert.equal(checked.length + refused.length, GUESSES);
  assert.ok(refused.length >= GUESSES / 2, `only ${refused.length} of the flood refused`);
  for (const { res } of refused) assertRetryAfter(res);
});

test("with the whole server saturated, a newcomer gets 503 with Retry-After", async (t) => {
  const app = await makeTestApp({
    ARGON2_CONCURRENCY: "1",
    ARGON2_QUEUE_MAX: "4",
    ARGON2_QUEUE_PER_CLIENT: "2",
  });
  t.after(() => app.close());
  const created: { secret_key: string }[] = [];
  for (let i = 0; i < 6; i++) created.push(await share(app.app, { secret: `s${i}`, passphrase: "right" }));
  // Six clients, two guesses each, all at once: four runs fit, the rest find the server full.
  const answers = await Promise.all(
    created.flatMap((c, i) =>
      [0, 1].map((j) =>
        app.app.inject({
          method: "POST",
          url: `/api/v1/secret/${c.secret_key}?passphrase=wrong${j}`,
          remoteAddress: `192.0.2.${10 + i}`,
        }),
      ),
    ),
  );
  const busy = answers.filter((r) => r.headers["x-ots-intended-status"] === "503");
  assert.ok(busy.length >= 1, answers.map((r) => r.headers["x-ots-intended-status"]).join(","));
  for (const r of busy) {
    assert.deepEqual(r.json(), { message: "We'll be back shortly!" });
    assertRetryAfter(r);
  }
  assert.equal(
    answers.filter((r) => r.json().message === "Unknown secret").length + busy.length,
    answers.length,
  );
});

function assertRetryAfter(res: LightMyRequestResponse) {
  const seconds = Number(res.headers["retry-after"]);
  assert.ok(Number.isInteger(seconds) && seconds >= 1, `Retry-After: ${res.headers["retry-after"]}`);
}

test("the pages answer a full share with 429 and a saturated server with 503, both with Retry-After", async (t) => {
  const app = await makeTestApp({
    ARGON2_CONCURRENCY: "1",
    ARGON2_QUEUE_MAX: "2",
    ARGON2_QUEUE_PER_CLIENT: "1",
  });
  t.after(() => app.close());
  const created = await share(app.app, { secret: "page", passphrase: "right" });
  const v = visitor(app.app);
  const path = `/secret/${created.secret_key}`;
  await v.get(path);
  // Hold queue places by hand: first this visitor's one place (inject's address), then the server's.
  const hold = (ip: string) => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const run = app.deps.hashQueue.run(clientKey(app.deps, { ip }), () => held);
    return async () => {
      release();
      await run;
    };
  };
  const mine = hold("127.0.0.1");
  const full = await v.post(path, { passphrase: "right" });
  assert.equal(full.statusCode, 429);
  assertRetryAfter(full);
  await mine();
  const others = [hold("192.0.2.250"), hold("192.0.2.251")];
  const creator = visitor(app.app);
  await creator.get("/");
  const busy = await creator.post("/create", { secret: "kept", passphrase: "p" });
  assert.equal(busy.statusCode, 503);
  assertRetryAfter(busy);
  assert.match(busy.body, /too busy/);
  assert.match(busy.body, />\nkept<\/textarea>/, "the text typed is still there");
  await Promise.all(others.map((release) => release()));
  const read = await v.post(path, { passphrase: "right" });
  assert.equal(read.statusCode, 200, "nothing was consumed");
  assert.match(read.body, />\npage<\/textarea>/);
});
