// Redis goes away and comes back: v1 answers "We'll be back shortly!" (intended 503) while it is
// down, nothing is consumed, the process stays up, and service resumes without a restart. With AOF
// on, a secret acknowledged before Redis died is still revealable exactly once afterwards.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { makeTestApp, postForm, share } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { AOF_ALWAYS, type RedisServer, startRedis } from "./support/redis-server.js";
import { tempDir } from "./support/temp.js";
import { waitFor } from "./support/wait.js";

const aof = tempDir("onetime-redis-aof-");
const dir = aof.path;
let redis: RedisServer | null = null;

after(async () => {
  await redis?.crash();
  aof.remove();
});

test("Redis down: unavailable answers, nothing consumed; Redis back: service resumes", async () => {
  const port = await freePort();
  redis = await startRedis(AOF_ALWAYS, { port, dir });
  const t = await makeTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` });
  try {
    const created = await share(t.app, { secret: "survives" });
    await redis?.crash();

    for (const res of [
      await postForm(t.app, `/secret/${created.secret_key}`),
      await postForm(t.app, "/share", { secret: "while down" }),
      await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` }),
    ]) {
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers["x-ots-intended-status"], "503");
      assert.deepEqual(res.json(), { message: "We'll be back shortly!" });
    }

    const down = await t.app.inject({ method: "GET", url: "/readyz" });
    assert.equal(down.statusCode, 503);
    assert.equal(
      (await t.app.inject({ method: "GET", url: "/healthz" })).statusCode,
      200,
      "the process stays up",
    );

    redis = await startRedis(AOF_ALWAYS, { port, dir });
    // The client reconnects by itself (backoff capped at 2 s) and says so nowhere a test can listen:
    // ask until the store answers.
    const receipt = () => t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` });
    await waitFor(async () => (await receipt()).statusCode === 200, {
      what: "service to resume without a restart",
      intervalMs: 200,
    });
    assert.equal((await t.app.inject({ method: "GET", url: "/readyz" })).statusCode, 200);
    const revealed = await postForm(t.app, `/secret/${created.secret_key}`);
    assert.equal(revealed.json().value, "survives");
    assert.equal((await postForm(t.app, `/secret/${created.secret_key}`)).json().message, "Unknown secret");
  } finally {
    await t.close();
  }
});
