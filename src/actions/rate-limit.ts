import { clientGroup } from "../domain/client-address.js";
import { AppError } from "../domain/errors.js";
import type { Caller, Deps } from "./deps.js";

export type LimitedEvent = "create" | "reveal" | "metadata" | "burn" | "status" | "signup" | "signin";

/**
 * The rate-limit subject of a caller: a short keyed pseudonym (never the address) of its IPv4
 * address, or of its IPv6 address's first RATE_LIMIT_IPV6_PREFIX bits.
 */
export function clientKey(deps: Pick<Deps, "vault" | "config">, caller: Pick<Caller, "ip">): string {
  const prefix = deps.config.abuse.ipv6Prefix;
  let known = subjects.get(deps.vault);
  if (known === undefined) {
    known = new Map();
    subjects.set(deps.vault, known);
  }
  const seen = `${prefix} ${caller.ip}`;
  let key = known.get(seen);
  if (key === undefined) {
    key = deps.vault.subject(clientGroup(caller.ip, prefix));
    if (known.size >= SUBJECTS_KEPT) known.clear();
    known.set(seen, key);
  }
  return key;
}

/**
 * The pseudonyms of the addresses seen last, per vault (one per SECRET, whose subject key never
 * changes): every limited request needs its caller's, and computing one (parsing the address, an
 * HMAC) was most of the rate limit's CPU. Same value as computing it afresh; held in this process's
 * memory only, never written anywhere; forgotten all at once past SUBJECTS_KEPT addresses.
 */
const subjects = new WeakMap<Deps["vault"], Map<string, string>>();
export const SUBJECTS_KEPT = 4096;

/**
 * Counts one `event` for the caller's IP in the store (so the limit holds across processes) and
 * refuses once the count passes the configured limit, as upstream does (`count > limit`).
 */
export async function limit(deps: Deps, caller: Caller, event: LimitedEvent): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  const key = `rl:${event}:${clientKey(deps, caller)}`;
  const count = await deps.store.counters.hit(key, rl.windowSeconds * 1000, deps.now());
  if (count > rl[event]) await refuse(deps, rl.windowSeconds);
}

/**
 * Every refusal goes through here, so that each one is counted. `retryAfter` (seconds, when the
 * caller knows it): the configured window, as the counters say how many came, not when their window
 * began; so it is the longest wait, never one too short.
 */
export async function refuse(deps: Deps, retryAfter?: number): Promise<never> {
  countRefusal(deps);
  throw new AppError("rate_limited", retryAfter === undefined ? {} : { retryAfter });
}

/** Counts one refused request: for Prometheus (this process) and in the day's count (every process). */
export function countRefusal(deps: Pick<Deps, "metrics" | "daily" | "now">): void {
  deps.metrics?.rateLimited();
  deps.daily.count("rate_limited", deps.now());
}

/** Refuses a caller whose failed API authentications have reached RATE_LIMIT_AUTH_FAILURES. */
export async function checkAuthFailures(deps: Deps, caller: Pick<Caller, "ip">): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  const count = await deps.store.counters.peek(`rl:authfail:${clientKey(deps, caller)}`, deps.now());
  if (count >= deps.config.abuse.authFailures) await refuse(deps, rl.windowSeconds);
}

/** Counts one failed API authentication for the caller, in RATE_LIMIT_WINDOW. */
export async function recordAuthFailure(deps: Deps, caller: Pick<Caller, "ip">): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  await deps.store.counters.hit(
    `rl:authfail:${clientKey(deps, caller)}`,
    rl.windowSeconds * 1000,
    deps.now(),
  );
}
