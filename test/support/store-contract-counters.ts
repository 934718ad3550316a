// The counters part of the store contract (called from storeContract): fixed-window rate limits.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Store } from "../../src/store/types.js";
import { hex, RACERS } from "./store-contract-fixtures.js";

export function countersContract(current: () => Store): void {
  describe("counters", () => {
    test("hit counts inside a fixed window that later hits do not extend", async () => {
      const store = current();
      const now = Date.now();
      const key = `rl:test:${hex()}`;
      assert.equal(await store.counters.peek(key, now), 0);
      assert.equal(await store.counters.hit(key, 1000, now), 1);
      assert.equal(await store.counters.hit(key, 1000, now + 400), 2);
      assert.equal(await store.counters.hit(key, 1000, now + 999), 3);
      assert.equal(await store.counters.peek(key, now + 999), 3);
      assert.equal(await store.counters.peek(key, now + 1000), 0, "the window ends at start + windowMs");
      // A hit after the end starts a new window at that moment.
      assert.equal(await store.counters.hit(key, 1000, now + 1500), 1);
      assert.equal(await store.counters.peek(key, now + 2499), 1);
      assert.equal(await store.counters.peek(key, now + 2500), 0);
    });

    test("add counts n at once, in the same fixed window as hits", async () => {
      const store = current();
      const now = Date.now();
      const key = `day:test:${hex()}`;
      assert.equal(await store.counters.add(key, 5, 1000, now), 5, "an absent key starts at n");
      assert.equal(await store.counters.hit(key, 1000, now + 100), 6);
      assert.equal(await store.counters.add(key, 3, 1000, now + 200), 9);
      assert.equal(await store.counters.peek(key, now + 999), 9);
      assert.equal(await store.counters.peek(key, now + 1000), 0, "adds do not extend the window");
      assert.equal(await store.counters.add(key, 4, 1000, now + 1500), 4, "a new window starts at n");
      assert.equal(await store.counters.peek(key, now + 2499), 4);
      assert.equal(await store.counters.peek(key, now + 2500), 0);
    });

    test(`${RACERS} concurrent adds and hits lose none`, async () => {
      const store = current();
      const now = Date.now();
      const key = `day:race:${hex()}`;
      await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          i % 2 === 0 ? store.counters.add(key, 3, 60_000, now) : store.counters.hit(key, 60_000, now),
        ),
      );
      const adds = Math.ceil(RACERS / 2);
      assert.equal(await store.counters.peek(key, now), adds * 3 + (RACERS - adds));
    });

    test("keys are independent", async () => {
      const store = current();
      const now = Date.now();
      const a = `pp:a:${hex()}`;
      const b = `pp:b:${hex()}`;
      await store.counters.hit(a, 60_000, now);
      await store.counters.hit(a, 60_000, now);
      await store.counters.hit(b, 60_000, now);
      assert.equal(await store.counters.peek(a, now), 2);
      assert.equal(await store.counters.peek(b, now), 1);
      assert.equal(await store.counters.peek(`never:${hex()}`, now), 0);
    });

    test("refund takes one back inside the window, never below 0, and not after it", async () => {
      const store = current();
      const now = Date.now();
      const key = `si:refund:${hex()}`;
      await store.counters.refund(key, now); // absent: nothing happens
      assert.equal(await store.counters.peek(key, now), 0);
      await store.counters.hit(key, 1000, now);
      await store.counters.hit(key, 1000, now);
      await store.counters.refund(key, now + 10);
      assert.equal(await store.counters.peek(key, now + 10), 1);
      await store.counters.refund(key, now + 20);
      await store.counters.refund(key, now + 30);
      assert.equal(await store.counters.peek(key, now + 30), 0, "never below 0");
      assert.equal(await store.counters.hit(key, 1000, now + 40), 1, "the window is unchanged");
      await store.counters.refund(key, now + 1000); // the window has ended: the next hit starts anew
      assert.equal(await store.counters.hit(key, 1000, now + 1500), 1);
    });

    test(`${RACERS} concurrent hits and refunds leave the exact balance`, async () => {
      const store = current();
      const now = Date.now();
      const key = `pp:refund-race:${hex()}`;
      for (let i = 0; i < RACERS; i++) await store.counters.hit(key, 60_000, now);
      await Promise.all(
        Array.from({ length: RACERS }, (_, i) =>
          i % 2 === 0 ? store.counters.refund(key, now) : store.counters.hit(key, 60_000, now),
        ),
      );
      assert.equal(await store.counters.peek(key, now), RACERS);
    });

    test(`${RACERS} concurrent hits each see a distinct count`, async () => {
      const store = current();
      const now = Date.now();
      const key = `rl:race:${hex()}`;
      const counts = await Promise.all(
        Array.from({ length: RACERS }, () => store.counters.hit(key, 60_000, now)),
      );
      assert.deepEqual(
        [...counts].sort((x, y) => x - y),
        Array.from({ length: RACERS }, (_, i) => i + 1),
      );
      assert.equal(await store.counters.peek(key, now), RACERS);
    });
  });
}
