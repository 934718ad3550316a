// The admin pages' figures over time (actions/daily-counts.ts): secrets created, read (each view),
// burned and found expired, and rate-limit refusals, counted per UTC day in the store as they
// happen through the v1 API, so that every process of a deployment adds to one count.
import assert from "node:assert/strict";
import { test } from "node:test";
import { dailyCounts } from "../src/actions/daily-counts.js";
import { manualClock } from "./support/clock.js";
import { makeTestApp, postForm, share } from "./support/helpers.js";

test("created, read, burned, expired and rate-limited requests add to the day they happen", async () => {
  const t = await makeTestApp({ RATE_LIMIT_METADATA: "3" });
  try {
    // A minute to midnight, UTC.
    const clock = manualClock(t, Date.UTC(2030, 0, 10, 23, 59));
    const read = await share(t.app, { secret: "read me" });
    const other = await share(t.app, { secret: "read me too" });
    const burned = await share(t.app, { secret: "burn me" });
    const expiring = await share(t.app, { secret: "let me expire", ttl: "60" });
    for (const key of [read.secret_key, other.secret_key]) {
      assert.equal((await postForm(t.app, `/secret/${key}`)).statusCode, 200);
    }
    assert.equal((await postForm(t.app, `/private/${burned.metadata_key}/burn`)).statusCode, 200);
    const again = await postForm(t.app, `/secret/${read.secret_key}`);
    assert.equal(again.statusCode, 404, "nothing left to read, nothing counted");

    clock.advance(90);
    // Past midnight: the expired secret is found when its receipt (which lives twice as long) is
    // looked at, and the fourth look from one address is refused.
    const looks = [];
    for (let i = 0; i < 4; i++)
      looks.push((await postForm(t.app, `/private/${expiring.metadata_key}`)).statusCode);
    assert.deepEqual(looks, [200, 200, 200, 404]);

    const days = await dailyCounts(t.deps.store, clock.now(), 3);
    assert.deepEqual(days, [
      { day: "2030-01-09", counts: { created: 0, read: 0, burned: 0, expired: 0, rate_limited: 0 } },
      { day: "2030-01-10", counts: { created: 4, read: 2, burned: 1, expired: 0, rate_limited: 0 } },
      { day: "2030-01-11", counts: { created: 0, read: 0, burned: 0, expired: 1, rate_limited: 1 } },
    ]);
  } finally {
    await t.close();
  }
});
