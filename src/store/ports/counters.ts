// Fixed-window counters, for rate limits, lock-outs and the admin pages' counts of the day. Keys are
// built by the caller and never hold a bearer key.

export interface CounterStore {
  /**
   * Adds 1 to `key` and returns the new count. A key whose window has ended starts again at 1 with a
   * window of `windowMs` from `now`; later hits do not extend it.
   */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  /**
   * Adds `n` (a whole number ≥ 1) to `key` at once and returns the new count: as `n` hits, in one
   * write. A key whose window has ended starts again at `n` with a window of `windowMs` from `now`.
   */
  add(key: string, n: number, windowMs: number, now: number): Promise<number>;
  /** The current count, 0 when absent or its window has ended. */
  peek(key: string, now: number): Promise<number>;
  /**
   * Takes 1 back from `key` (a hit reserved before a check that then passed), never below 0; nothing
   * happens when the window has ended by `now`.
   */
  refund(key: string, now: number): Promise<void>;
}
