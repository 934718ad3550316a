import type { Deps } from "./deps.js";
import { refuse } from "./rate-limit.js";

// Lock-outs that hold under parallel guesses. A check (an argon2 run) is reserved in the store
// *before* it runs, so racing guesses each see a distinct count and no more run at once than the
// failures the lock still allows; a wrong answer is then counted as a failure and a right one gives
// its place back (count first, refund on success). A guess over the allowance is not refused
// outright: the checks ahead of it may all pass, so it waits for them to end and tries again,
// refused only by a lock or after MAX_WAIT_MS. That keeps concurrent *right* guesses (a page opened
// twice) answered as before, while a burst of wrong ones gets at most the limit evaluated.

/** A reservation lives this long in the store at most, should its process die during the check. */
const FLIGHT_MS = 60_000;
/** How long a guess waits for the checks ahead of it before it is refused as rate limited. */
export const MAX_WAIT_MS = 5_000;
/** How often a waiting guess looks again when no check ends in this process (another one may). */
const POLL_MS = 50;

/** One counted limit: the checks in flight and the failures in the window share `limit`. */
export interface Budget {
  inFlight: string;
  failures: string;
  limit: number;
}

export interface Gate {
  /** Names the guarded thing in this process, to wake the guesses that wait on it. */
  name: string;
  budgets: Budget[];
  /** True when a lock refuses every guess; `failures` are the budgets' counts, read just now. */
  locked(failures: number[], now: number): Promise<boolean>;
  /** Counts one wrong answer (each budget's failures key) and sets the locks it calls for. */
  fail(now: number): Promise<void>;
  /** Runs before each new try after a wait; throws when trying is pointless (the secret is gone). */
  beforeRetry?(): Promise<void>;
  /** How long a lock lasts at most, in seconds: the Retry-After of a guess it refuses. */
  lockSeconds?: number;
}

/** A reserved check: say how it went, exactly once. */
export interface Attempt {
  /** The check passed, or did not run: the place is given back and nothing is counted. */
  release(): Promise<void>;
  /** The check failed: the failure is counted (and may lock) before the place is given back. */
  failed(): Promise<void>;
}

export const FREE_ATTEMPT: Attempt = { release: async () => {}, failed: async () => {} };

/**
 * Reserves one check at `gate`: refused (rate_limited) while locked, or when the checks ahead of it
 * have not made room within MAX_WAIT_MS.
 */
export async function reserve(deps: Deps, gate: Gate): Promise<Attempt> {
  const counters = deps.store.counters;
  const refund = async () => {
    await Promise.all(gate.budgets.map((b) => counters.refund(b.inFlight, deps.now())));
  };
  const started = performance.now();
  for (let round = 0; ; round++) {
    if (round > 0) await gate.beforeRetry?.();
    const now = deps.now();
    // Reserve first, read after: a check that ended meanwhile counted its failure (and locked)
    // before it gave its place back, so every check is seen either in flight or as a failure.
    const flights = await Promise.all(gate.budgets.map((b) => counters.hit(b.inFlight, FLIGHT_MS, now)));
    let verdict: "go" | "wait" | "locked";
    try {
      const failures = await Promise.all(gate.budgets.map((b) => counters.peek(b.failures, now)));
      if (await gate.locked(failures, now)) verdict = "locked";
      else {
        // After a lock that ended inside the failures' window, one guess at a time.
        const room = (b: Budget, i: number) => Math.max(b.limit - (failures[i] ?? 0), 1);
        verdict = gate.budgets.every((b, i) => (flights[i] ?? 0) <= room(b, i)) ? "go" : "wait";
      }
    } catch (err) {
      await refund();
      throw err;
    }
    if (verdict === "go") return settle(deps, gate, refund);
    await refund();
    if (verdict === "locked") await refuse(deps, gate.lockSeconds);
    if (performance.now() - started > MAX_WAIT_MS) await refuse(deps);
    await deps.checkWaits.wait(gate.name, POLL_MS);
  }
}

function settle(deps: Deps, gate: Gate, refund: () => Promise<void>): Attempt {
  let settled = false;
  const end = async (failed: boolean) => {
    if (settled) return;
    settled = true;
    try {
      if (failed) await gate.fail(deps.now());
    } finally {
      await refund();
      deps.checkWaits.wake(gate.name);
    }
  };
  return { release: () => end(false), failed: () => end(true) };
}

/** Runs `check` under `attempt`, giving the place back if the check throws. */
export async function checked<T>(attempt: Attempt, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    await attempt.release().catch(() => {});
    throw err;
  }
}
