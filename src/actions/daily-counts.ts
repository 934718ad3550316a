import type { Store } from "../store/types.js";

// What happened each day, for the admin pages: secrets created, read (each view taken), burned and
// found expired, and requests refused by a rate limit. One counter per kind and UTC day in the
// store's counters port, so every process of a deployment adds to the same figures (Prometheus's
// counters, src/metrics.ts, are per process and start again at 0 with it).
//
// An action counts in this process's memory (DailyTally.count, beside its Prometheus counter: no
// store write on the request's path), and the tally is added to the store in one write per kind and
// day every FLUSH_MS, when the admin overview is read, and when the runtime closes (a graceful
// shutdown). A crash loses at most the last FLUSH_MS of this process's counts. Counting never makes
// what it counts fail: a take that succeeded has consumed its secret, whatever the counter says; a
// failed write is logged and its counts are tried again at the next flush.

export const DAILY_KINDS = ["created", "read", "burned", "expired", "rate_limited"] as const;
export type DailyKind = (typeof DAILY_KINDS)[number];

/** Days the admin pages show, today included. */
export const DAYS_SHOWN = 30;
const DAY_MS = 86_400_000;
/** How often each process adds its tally to the store. */
export const FLUSH_MS = 10_000;
// A day's counter lives from its first hit; this keeps it past the last page that shows it.
const KEEP_MS = (DAYS_SHOWN + 2) * DAY_MS;

export interface DayCounts {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  counts: Record<DailyKind, number>;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const keyOf = (kind: DailyKind, day: string) => `day:${kind}:${day}`;

/** The counts of the last `days` UTC days, oldest first, today last. */
export async function dailyCounts(
  store: Pick<Store, "counters">,
  now: number,
  days = DAYS_SHOWN,
): Promise<DayCounts[]> {
  const list = Array.from({ length: days }, (_, i) => dayOf(now - (days - 1 - i) * DAY_MS));
  return Promise.all(
    list.map(async (day) => {
      const values = await Promise.all(DAILY_KINDS.map((kind) => store.counters.peek(keyOf(kind, day), now)));
      const counts = Object.fromEntries(DAILY_KINDS.map((kind, i) => [kind, values[i] ?? 0]));
      return { day, counts: counts as Record<DailyKind, number> };
    }),
  );
}

interface Pending {
  kind: DailyKind;
  /** The UTC day, in days since the epoch. */
  day: number;
  n: number;
  /** The latest time counted: the store's window for the day starts from it if it has none. */
  at: number;
}

/** This process's counts not yet in the store, by kind and UTC day. One per runtime (deps.daily). */
export class DailyTally {
  readonly #store: Pick<Store, "counters">;
  readonly #onError: (err: unknown) => void;
  #pending = new Map<string, Pending>();
  #flushed: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;

  /** `onError` hears of each failed write (its counts are kept for the next flush). */
  constructor(store: Pick<Store, "counters">, onError: (err: unknown) => void = () => {}) {
    this.#store = store;
    this.#onError = onError;
  }

  /** Counts one `kind` on the UTC day of `now` (the action's own clock), in memory: never waits or throws. */
  count(kind: DailyKind, now: number): void {
    this.#add({ kind, day: Math.floor(now / DAY_MS), n: 1, at: now });
  }

  /**
   * Adds everything counted before this call to the store, one `counters.add` per kind and day, after
   * any flush already running. Never rejects: a failed write's counts stay for the next flush.
   */
  flush(): Promise<void> {
    const run = this.#flushed.then(() => this.#write());
    this.#flushed = run;
    return run;
  }

  /** Flushes every `intervalMs` (an unref'd timer: it never keeps the process alive). */
  start(intervalMs = FLUSH_MS): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.flush(), intervalMs);
    this.#timer.unref();
  }

  /** Stops the timer and flushes one last time; returns how many counts that could not write (lost). */
  async stop(): Promise<number> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
    let lost = 0;
    for (const entry of this.#pending.values()) lost += entry.n;
    this.#pending.clear();
    return lost;
  }

  #add(entry: Pending): void {
    const slot = `${entry.kind}:${entry.day}`;
    const pending = this.#pending.get(slot);
    if (pending === undefined) this.#pending.set(slot, { ...entry });
    else {
      pending.n += entry.n;
      pending.at = Math.max(pending.at, entry.at);
    }
  }

  async #write(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = [...this.#pending.values()];
    this.#pending = new Map();
    await Promise.all(
      batch.map(async (entry) => {
        try {
          const key = keyOf(entry.kind, dayOf(entry.day * DAY_MS));
          await this.#store.counters.add(key, entry.n, KEEP_MS, entry.at);
        } catch (err) {
          this.#add(entry);
          this.#onError(err);
        }
      }),
    );
  }
}
