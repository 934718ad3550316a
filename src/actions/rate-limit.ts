import { AppError } from "../domain/errors.js";
import type { Caller, Deps } from "./deps.js";

export type LimitedEvent = "create" | "reveal" | "metadata" | "burn" | "status" | "signup" | "signin";

/** The rate-limit subject of a caller: a short keyed pseudonym of its address (never the address). */
export function clientKey(deps: Deps, caller: Caller): string {
  return deps.vault.subject(caller.ip);
}

/**
 * Counts one `event` for the caller's IP in the store (so the limit holds across processes) and
 * refuses once the count passes the configured limit, as upstream does (`count > limit`).
 */
export async function limit(deps: Deps, caller: Caller, event: LimitedEvent): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  const key = `rl:${event}:${clientKey(deps, caller)}`;
  const count = await deps.store.counters.hit(key, rl.windowSeconds * 1000, deps.now());
  if (count > rl[event]) refuse(deps);
}

/** Every refusal goes through here, so that each one is counted. */
export function refuse(deps: Deps): never {
  deps.metrics?.rateLimited();
  throw new AppError("rate_limited");
}
