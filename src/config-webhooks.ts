// The webhooks block of loadConfig (config.ts), read through its Reader: whether accounts may add
// endpoints, which hosts are trusted inside the network, and how deliveries are tried
// (docs/webhooks.md, docs/configuration.md#webhooks).

import type { Reader } from "./config-reader.js";

export interface WebhooksConfig {
  /** False: no endpoint can be added and no event is queued (deliveries already queued still go). */
  enabled: boolean;
  /** Hosts ("host" or "host:port") exempt from the address guard, and allowed over plain http. */
  allowedHosts: string[];
  /** One deadline for a delivery's connection, request and answer. */
  timeoutMs: number;
  /** Bytes of a receiver's answer read at most. */
  maxResponseBytes: number;
  /** Tries before a delivery is marked failed. */
  maxAttempts: number;
  /** Wait before the first retry; doubled after each failure (at most an hour), with jitter. */
  retryBaseMs: number;
  /** Endpoints one account may have. */
  maxEndpoints: number;
  /** Days a delivery stays in the log. */
  logDays: number;
}

export function webhooksConfig(r: Reader): WebhooksConfig {
  return {
    enabled: r.bool("WEBHOOKS_ENABLED", true),
    allowedHosts: r.list("WEBHOOK_ALLOWED_HOSTS", []).map((h) => h.toLowerCase()),
    timeoutMs: r.int("WEBHOOK_TIMEOUT_MS", 10_000, { min: 100, max: 60_000 }),
    maxResponseBytes: r.int("WEBHOOK_MAX_RESPONSE_BYTES", 65_536, { min: 0, max: 1_048_576 }),
    maxAttempts: r.int("WEBHOOK_MAX_ATTEMPTS", 8, { min: 1, max: 50 }),
    retryBaseMs: r.int("WEBHOOK_RETRY_BASE_MS", 30_000, { min: 10, max: 3_600_000 }),
    maxEndpoints: r.int("WEBHOOK_MAX_ENDPOINTS", 5, { min: 1, max: 100 }),
    logDays: r.int("WEBHOOK_LOG_DAYS", 7, { min: 1, max: 90 }),
  };
}
