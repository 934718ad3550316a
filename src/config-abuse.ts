// The abuse options block of loadConfig (config.ts), read through its Reader: the bounds of the
// argon2 queue (passphrases and web passwords), how IPv6 clients are grouped for every per-IP
// limit, and how many failed API authentications a client gets.

import { availableParallelism } from "node:os";
import type { Reader } from "./config-reader.js";

/** Against guessing and floods (issue 16): the argon2 queue's bounds, client groups, failed Basic auth. */
export interface AbuseConfig {
  /** argon2 runs at once in this process. */
  argon2Concurrency: number;
  /** argon2 runs running or waiting in this process, in all; beyond, 503 with Retry-After. */
  argon2QueueMax: number;
  /** argon2 runs running or waiting for one client (its rate-limit subject); beyond, 429. */
  argon2QueuePerClient: number;
  /** IPv6 clients are grouped by this many leading bits for every per-IP limit (IPv4: exact). */
  ipv6Prefix: number;
  /** Failed API (Basic) authentications per client and RATE_LIMIT_WINDOW before credentials are refused. */
  authFailures: number;
}

export function abuseConfig(r: Reader): AbuseConfig {
  const cores = Math.max(1, availableParallelism() - 1);
  const argon2QueueMax = r.int("ARGON2_QUEUE_MAX", 64, { min: 1, max: 100_000 });
  const argon2QueuePerClient = r.int("ARGON2_QUEUE_PER_CLIENT", 8, { min: 1, max: 100_000 });
  if (argon2QueuePerClient >= argon2QueueMax) {
    // Equal would let one client fill the whole queue, and every other client would get 503.
    r.problem("ARGON2_QUEUE_PER_CLIENT must be less than ARGON2_QUEUE_MAX");
  }
  return {
    argon2Concurrency: r.int("ARGON2_CONCURRENCY", cores, { min: 1, max: 256 }),
    argon2QueueMax,
    argon2QueuePerClient,
    ipv6Prefix: r.int("RATE_LIMIT_IPV6_PREFIX", 64, { min: 1, max: 128 }),
    authFailures: r.int("RATE_LIMIT_AUTH_FAILURES", 20, { min: 1 }),
  };
}
