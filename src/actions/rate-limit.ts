import { AppError } from "../domain/errors.js";
import type { Caller, Deps } from "./deps.js";

export type LimitedEvent = "create" | "reveal" | "metadata" | "burn" | "status" | "signup" | "signin";

/**
 * Counts one `event` for the caller's IP in the store (so the limit holds across processes) and
 * refuses once the count passes the configured limit, as upstream does (`count > limit`).
 */
export async function limit(deps: Deps, caller: Caller, event: LimitedEvent): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  const key = `rl:${event}:${deps.vault.subject(caller.ip)}`;
  const count = await deps.store.counters.hit(key, rl.windowSeconds * 1000, deps.now());
  if (count > rl[event]) refuse(deps);
}

function passphraseKeys(deps: Deps, caller: Caller, secretId: string) {
  const who = deps.vault.subject(caller.ip);
  return {
    perIp: `pp:ip:${secretId}:${who}`,
    total: `pp:all:${secretId}`,
    lockIp: `pp:lock:${secretId}:${who}`,
    lockAll: `pp:lock:${secretId}`,
    tryIp: `pp:try:${secretId}:${who}`,
    tryAll: `pp:try:${secretId}`,
  };
}

/** Every refusal goes through here, so that each one is counted. */
function refuse(deps: Deps): never {
  deps.metrics?.rateLimited();
  throw new AppError("rate_limited");
}

/**
 * One attempt at an expensive check (argon2), reserved in the store before the check runs: racing
 * attempts each see a distinct count, so a burst sent at once gets no more checks than the limit.
 * The caller then says how the check went: `failed` counts a wrong answer; `release` gives the
 * reservation back when the check passed, or threw before it could say.
 */
export interface Attempt {
  release(): Promise<void>;
  failed(): Promise<void>;
}

const FREE: Attempt = { release: async () => {}, failed: async () => {} };

/** Runs `check` under `attempt`, giving the reservation back if the check throws. */
export async function checked<T>(attempt: Attempt | null, check: () => Promise<T>): Promise<T> {
  try {
    return await check();
  } catch (err) {
    await attempt?.release().catch(() => {});
    throw err;
  }
}

/**
 * Reserves one password check for the account, refusing (as rate_limited) once the account has
 * used up its wrong passwords for the window, even with the right password.
 */
export async function reserveSigninAttempt(deps: Deps, accountKey: string): Promise<Attempt> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return FREE;
  const key = `si:${accountKey}`;
  const count = await deps.store.counters.hit(key, rl.windowSeconds * 1000, deps.now());
  if (count > rl.signinPerAccount) refuse(deps);
  return {
    release: () => deps.store.counters.refund(key, deps.now()),
    failed: async () => {},
  };
}

/**
 * Reserves one passphrase check on a secret. The lock decides, as it always has: a failure that
 * reaches the per-IP or total limit locks the secret for this IP, or for everyone. Checks in flight
 * are counted too (a reservation, given back when the check ends), so that no more run at once than
 * the failures left before the lock (at least one, as after a lock that ended inside its window).
 */
export async function reservePassphraseAttempt(
  deps: Deps,
  caller: Caller,
  secretId: string,
): Promise<Attempt> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return FREE;
  const keys = passphraseKeys(deps, caller, secretId);
  const counters = deps.store.counters;
  const windowMs = rl.passphraseWindowSeconds * 1000;
  const now = deps.now();
  // Reserve first, read after: a check that ends meanwhile has locked before giving its place back.
  const [flightIp, flightAll] = await Promise.all([
    counters.hit(keys.tryIp, windowMs, now),
    counters.hit(keys.tryAll, windowMs, now),
  ]);
  const release = () =>
    Promise.all([counters.refund(keys.tryIp, deps.now()), counters.refund(keys.tryAll, deps.now())]);
  const [lockedIp, lockedAll, failedIp, failedAll] = await Promise.all([
    counters.peek(keys.lockIp, now),
    counters.peek(keys.lockAll, now),
    counters.peek(keys.perIp, now),
    counters.peek(keys.total, now),
  ]);
  const room = (limit: number, failed: number) => Math.max(limit - failed, 1);
  if (
    lockedIp > 0 ||
    lockedAll > 0 ||
    flightIp > room(rl.passphrasePerIp, failedIp) ||
    flightAll > room(rl.passphraseTotal, failedAll)
  ) {
    await release();
    refuse(deps);
  }
  return {
    release: async () => {
      await release();
    },
    failed: async () => {
      const at = deps.now();
      const [perIp, total] = await Promise.all([
        counters.hit(keys.perIp, windowMs, at),
        counters.hit(keys.total, windowMs, at),
      ]);
      const lockMs = rl.passphraseLockSeconds * 1000;
      if (perIp >= rl.passphrasePerIp) await counters.hit(keys.lockIp, lockMs, at);
      if (total >= rl.passphraseTotal) await counters.hit(keys.lockAll, lockMs, at);
      await release();
    },
  };
}
