import type { Reader } from "./config-reader.js";

// The per-IP rate limits and the lock-outs of failed sign-ins and passphrases (RATE_LIMIT_*,
// SIGNIN_ATTEMPTS_PER_ACCOUNT, PASSPHRASE_ATTEMPTS_*, PASSPHRASE_LOCKOUT).

export interface RateLimitConfig {
  enabled: boolean;
  /** Fixed window for the per-IP limits, in seconds (upstream: 20 minutes). */
  windowSeconds: number;
  create: number;
  reveal: number;
  metadata: number;
  burn: number;
  status: number;
  /** Web sign-ups and sign-in attempts per IP and window. */
  signup: number;
  signin: number;
  /** Failed sign-ins for one account (from any IP) inside the window before it is locked for it. */
  signinPerAccount: number;
  /** Failed passphrases: per (secret, IP) and per secret, inside passphraseWindowSeconds. */
  passphrasePerIp: number;
  passphraseTotal: number;
  passphraseWindowSeconds: number;
  passphraseLockSeconds: number;
}

export function rateLimitConfig(r: Reader): RateLimitConfig {
  return {
    enabled: r.bool("RATE_LIMIT_ENABLED", true),
    windowSeconds: r.int("RATE_LIMIT_WINDOW", 1200, { min: 1 }),
    create: r.int("RATE_LIMIT_CREATE", 1000, { min: 1 }),
    reveal: r.int("RATE_LIMIT_REVEAL", 1000, { min: 1 }),
    metadata: r.int("RATE_LIMIT_METADATA", 1000, { min: 1 }),
    burn: r.int("RATE_LIMIT_BURN", 1000, { min: 1 }),
    status: r.int("RATE_LIMIT_STATUS", 10000, { min: 1 }),
    signup: r.int("RATE_LIMIT_SIGNUP", 10, { min: 1 }),
    signin: r.int("RATE_LIMIT_SIGNIN", 20, { min: 1 }),
    signinPerAccount: r.int("SIGNIN_ATTEMPTS_PER_ACCOUNT", 10, { min: 1 }),
    passphrasePerIp: r.int("PASSPHRASE_ATTEMPTS_PER_IP", 5, { min: 1 }),
    passphraseTotal: r.int("PASSPHRASE_ATTEMPTS_TOTAL", 20, { min: 1 }),
    passphraseWindowSeconds: r.int("PASSPHRASE_ATTEMPTS_WINDOW", 600, { min: 1 }),
    passphraseLockSeconds: r.int("PASSPHRASE_LOCKOUT", 1800, { min: 1 }),
  };
}
