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
  };
}

/** Refuses while the secret is locked for this caller after too many wrong passphrases. */
export async function checkPassphraseLock(deps: Deps, caller: Caller, secretId: string): Promise<void> {
  if (!deps.config.rateLimit.enabled) return;
  const keys = passphraseKeys(deps, caller, secretId);
  const now = deps.now();
  const [ip, all] = await Promise.all([
    deps.store.counters.peek(keys.lockIp, now),
    deps.store.counters.peek(keys.lockAll, now),
  ]);
  if (ip > 0 || all > 0) refuse(deps);
}

/** Every refusal goes through here, so that each one is counted. */
function refuse(deps: Deps): never {
  deps.metrics?.rateLimited();
  throw new AppError("rate_limited");
}

/** Refuses a sign-in (or a password check) while the account is locked after wrong passwords. */
export async function checkSigninLock(deps: Deps, accountKey: string): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  if ((await deps.store.counters.peek(`si:${accountKey}`, deps.now())) >= rl.signinPerAccount) refuse(deps);
}

/** Records one wrong password for the account (the lock is checked by checkSigninLock). */
export async function recordSigninFailure(deps: Deps, accountKey: string): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  await deps.store.counters.hit(`si:${accountKey}`, rl.windowSeconds * 1000, deps.now());
}

/** Records one wrong passphrase; past the limits, locks the secret for this IP or for everyone. */
export async function recordPassphraseFailure(deps: Deps, caller: Caller, secretId: string): Promise<void> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return;
  const keys = passphraseKeys(deps, caller, secretId);
  const now = deps.now();
  const windowMs = rl.passphraseWindowSeconds * 1000;
  const [perIp, total] = await Promise.all([
    deps.store.counters.hit(keys.perIp, windowMs, now),
    deps.store.counters.hit(keys.total, windowMs, now),
  ]);
  const lockMs = rl.passphraseLockSeconds * 1000;
  if (perIp >= rl.passphrasePerIp) await deps.store.counters.hit(keys.lockIp, lockMs, now);
  if (total >= rl.passphraseTotal) await deps.store.counters.hit(keys.lockAll, lockMs, now);
}
