// A clock that moves only when the test says so. The app reads time through deps.now (and the mail
// worker through the now it is given), so a test that needs time to pass advances this clock
// instead of sleeping: expiry, leases and backoffs are then exact and instant.

export interface ManualClock {
  /** The clock's time in milliseconds since the epoch; pass it where a `now` is taken. */
  readonly now: () => number;
  readonly ms: number;
  /** The time in whole seconds, as the v1 API writes it. */
  readonly seconds: number;
  /** Moves the clock forward by `seconds` (fractions allowed). */
  advance(seconds: number): void;
}

/** A manual clock starting at `start` (the wall clock's present by default). */
export function createClock(start = Date.now()): ManualClock {
  let ms = start;
  return {
    now: () => ms,
    get ms() {
      return ms;
    },
    get seconds() {
      return Math.floor(ms / 1000);
    },
    advance(seconds: number) {
      ms += seconds * 1000;
    },
  };
}

/**
 * Gives an app a manual clock: every action reads `t.deps.now`. Anything that copied `deps.now`
 * before this call (a mail worker, say) keeps the old clock, so install it first.
 */
export function manualClock(t: { deps: { now: () => number } }, start = Date.now()): ManualClock {
  const clock = createClock(start);
  t.deps.now = clock.now;
  return clock;
}
