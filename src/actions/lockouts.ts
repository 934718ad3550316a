import { type Attempt, FREE_ATTEMPT, reserve } from "./attempts.js";
import type { Caller, Deps } from "./deps.js";
import { clientKey } from "./rate-limit.js";

// The two lock-outs in front of argon2: wrong passphrases on a secret, wrong passwords on an
// account. Each check is reserved before it runs (src/actions/attempts.ts).

/**
 * Where a passphrase is tried: the secret link (reveal) or the receipt link (burn). Each has its own
 * counts and locks, so guesses at a leaked secret link never stop the receipt's holder (its
 * creator, or its owner's account on the API) from burning it; and the other way round.
 */
export type Door = "reveal" | "burn";

/**
 * Reserves one passphrase check on a secret through `door`. Past PASSPHRASE_ATTEMPTS_PER_IP
 * failures the secret is locked for this IP, past PASSPHRASE_ATTEMPTS_TOTAL for everyone, both for
 * PASSPHRASE_LOCKOUT. `beforeRetry` runs before a guess that waited tries again.
 */
export async function reservePassphrase(
  deps: Deps,
  caller: Caller,
  secretId: string,
  door: Door,
  beforeRetry?: () => Promise<void>,
): Promise<Attempt> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return FREE_ATTEMPT;
  const p = door === "reveal" ? "pp" : "pb";
  const who = clientKey(deps, caller);
  const lockIp = `${p}:lock:${secretId}:${who}`;
  const lockAll = `${p}:lock:${secretId}`;
  const counters = deps.store.counters;
  const perIp = {
    inFlight: `${p}:try:${secretId}:${who}`,
    failures: `${p}:ip:${secretId}:${who}`,
    limit: rl.passphrasePerIp,
  };
  const total = {
    inFlight: `${p}:try:${secretId}`,
    failures: `${p}:all:${secretId}`,
    limit: rl.passphraseTotal,
  };
  return reserve(deps, {
    name: `${p}:${secretId}`,
    budgets: [perIp, total],
    beforeRetry,
    lockSeconds: rl.passphraseLockSeconds,
    async locked(_failures, now) {
      const [ip, all] = await Promise.all([counters.peek(lockIp, now), counters.peek(lockAll, now)]);
      return ip > 0 || all > 0;
    },
    async fail(now) {
      const windowMs = rl.passphraseWindowSeconds * 1000;
      const [ip, all] = await Promise.all([
        counters.hit(perIp.failures, windowMs, now),
        counters.hit(total.failures, windowMs, now),
      ]);
      const lockMs = rl.passphraseLockSeconds * 1000;
      if (ip >= perIp.limit) await counters.hit(lockIp, lockMs, now);
      if (all >= total.limit) await counters.hit(lockAll, lockMs, now);
    },
  });
}

/**
 * Reserves one password check on an account (`accountKey`, a pseudonym of its address): after
 * SIGNIN_ATTEMPTS_PER_ACCOUNT failures in the window, every check is refused until it ends, even
 * with the right password.
 */
export async function reserveSignin(deps: Deps, accountKey: string): Promise<Attempt> {
  const rl = deps.config.rateLimit;
  if (!rl.enabled) return FREE_ATTEMPT;
  const budget = {
    inFlight: `si:try:${accountKey}`,
    failures: `si:${accountKey}`,
    limit: rl.signinPerAccount,
  };
  return reserve(deps, {
    name: `si:${accountKey}`,
    budgets: [budget],
    lockSeconds: rl.windowSeconds,
    locked: async ([failures]) => (failures ?? 0) >= budget.limit,
    async fail(now) {
      await deps.store.counters.hit(budget.failures, rl.windowSeconds * 1000, now);
    },
  });
}
