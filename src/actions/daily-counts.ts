import type { Store } from "../store/types.js";

// What happened each day, for the admin pages: secrets created, read (each view taken), burned and
// found expired, and requests refused by a rate limit. One counter per kind and UTC day in the
// store's counters port, so every process of a deployment adds to the same figures (Prometheus's
// counters, src/metrics.ts, are per process and start again at 0 with it). Counting never makes
// what it counts fail: a take that succeeded has consumed its secret, whatever the counter says.

export const DAILY_KINDS = ["created", "read", "burned", "expired", "rate_limited"] as const;
export type DailyKind = (typeof DAILY_KINDS)[number];

/** Days the admin pages show, today included. */
export const DAYS_SHOWN = 30;
const DAY_MS = 86_400_000;
// A day's counter lives from its first hit; this keeps it past the last page that shows it.
const KEEP_MS = (DAYS_SHOWN + 2) * DAY_MS;

export interface DayCounts {
  /** The UTC day, YYYY-MM-DD. */
  day: string;
  counts: Record<DailyKind, number>;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const keyOf = (kind: DailyKind, day: string) => `day:${kind}:${day}`;

/** Adds one `kind` to the day of `now`; a failure is handed to `onError` and goes no further. */
export async function countDay(
  store: Pick<Store, "counters">,
  kind: DailyKind,
  now: number,
  onError: (err: unknown) => void = () => {},
): Promise<void> {
  try {
    await store.counters.hit(keyOf(kind, dayOf(now)), KEEP_MS, now);
  } catch (err) {
    onError(err);
  }
}

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

/**
 * The store, counting its secrets' lives by day as they happen: a create, each take that hands a
 * secret out, each burn, each receipt moved to expired. The counts follow the operations' own
 * times (the `now` they are given), so a test's clock moves them too.
 */
export function withDailyCounts(store: Store, onError?: (err: unknown) => void): Store {
  const { secrets } = store;
  const count = (kind: DailyKind, now: number) => countDay(store, kind, now, onError);
  const counted: Store["secrets"] = {
    ...secrets,
    async create(secret, receipt, owner) {
      await secrets.create(secret, receipt, owner);
      await count("created", secret.createdAt);
    },
    async take(id, now) {
      const row = await secrets.take(id, now);
      if (row !== null) await count("read", now);
      return row;
    },
    async burn(receiptId, now) {
      const burned = await secrets.burn(receiptId, now);
      if (burned !== null) await count("burned", now);
      return burned;
    },
    async transitionReceipt(id, from, to, now) {
      const receipt = await secrets.transitionReceipt(id, from, to, now);
      if (to === "expired" && receipt?.state === "expired") await count("expired", now);
      return receipt;
    },
  };
  return new Proxy(store, {
    get: (target, prop, receiver) => (prop === "secrets" ? counted : Reflect.get(target, prop, receiver)),
  });
}
