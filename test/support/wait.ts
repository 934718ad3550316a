// The one way tests wait for something that happens on its own time: re-check a condition when an
// event says something changed (or, where nothing emits one, every few milliseconds), and fail
// with a message naming what never came. The bound is generous: it only decides how long a broken
// test hangs before it says why, never whether a working one passes.
import { type EventEmitter, once } from "node:events";
import { setTimeout as delay } from "node:timers/promises";

export interface WaitOptions {
  /** What is awaited, for the failure message: "the mail to bob@example.net". */
  what: string | (() => string);
  /** Give up after this long; 60 s by default (a busy machine must not fail a working test). */
  timeoutMs?: number;
  /** Re-check each time `emitter` emits `event` rather than on a timer. */
  on?: { emitter: EventEmitter; event: string };
  /** Without `on`: the pause between checks, 25 ms by default. */
  intervalMs?: number;
}

type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

/** Resolves with the first truthy value `check` returns; rejects once `timeoutMs` has passed. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { what, timeoutMs = 60_000, on, intervalMs = 25 }: WaitOptions,
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stop = new AbortController();
    try {
      // Listen before checking, so that an event fired while an asynchronous check runs is not lost.
      const woken = on === undefined ? null : once(on.emitter, on.event, { signal: stop.signal });
      woken?.catch(() => undefined);
      const value = await check();
      if (value) return value as Truthy<T>;
      const left = deadline - Date.now();
      if (left <= 0) {
        const subject = typeof what === "string" ? what : what();
        throw new Error(`gave up after ${timeoutMs} ms waiting for ${subject}`);
      }
      const timer = delay(woken === null ? Math.min(intervalMs, left) : left, undefined, {
        signal: stop.signal,
      });
      await Promise.race([woken ?? timer, timer]).catch(() => undefined);
    } finally {
      stop.abort();
    }
  }
}
