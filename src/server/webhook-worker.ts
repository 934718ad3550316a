import type { Deps } from "../actions/deps.js";
import { open } from "../crypto/aead.js";
import type { WebhookDelivery } from "../store/types.js";
import { type DeliveryPolicy, type DeliveryResult, deliverWebhook } from "../webhooks/deliver.js";

// The webhook queue's worker (docs/webhooks.md#retries): claims due deliveries atomically (so
// several processes share the queue), signs and posts each one (webhooks/deliver.ts), and settles
// it: delivered on a 2xx; otherwise tried again after an exponential backoff with jitter
// (WEBHOOK_RETRY_BASE_MS doubled after each failure, at most an hour, then a random 50–100% of it)
// until WEBHOOK_MAX_ATTEMPTS, or failed at once when the answer says a retry cannot help. Delivery
// is at least once: a worker that dies between the receiver's 2xx and recording it sends it again,
// under the same event id.

export interface WebhookWorker {
  /** Tries every delivery that is due now; returns how many were tried. */
  drain(): Promise<number>;
  /** Polls every `intervalMs`, and at once when an event of this process is queued (deps.webhookWake). */
  start(): void;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;

/** Milliseconds to wait after the `attempt`-th failed try: base·2^(attempt−1), capped, half-jittered. */
export function webhookRetryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const full = Math.min(baseMs * 2 ** (attempt - 1), Math.max(baseMs, HOUR_MS));
  // Jitter spreads the retries of many deliveries that failed together (a receiver's outage).
  return Math.round(full / 2 + (full / 2) * random());
}

export type Deliver = typeof deliverWebhook;

export function createWebhookWorker(
  deps: Deps,
  { intervalMs = 1000, deliver = deliverWebhook }: { intervalMs?: number; deliver?: Deliver } = {},
): WebhookWorker {
  const { store, log } = deps;
  const config = deps.config.webhooks;
  const policy: DeliveryPolicy = {
    allowedHosts: config.allowedHosts,
    timeoutMs: config.timeoutMs,
    maxResponseBytes: config.maxResponseBytes,
  };
  // A worker holds a delivery for twice the deadline of one try, and at least a minute.
  const leaseMs = Math.max(60_000, 2 * config.timeoutMs);
  let timer: NodeJS.Timeout | null = null;
  let draining: Promise<number> | null = null;
  let again = false;

  /** Why this delivery can never go, or null when it may be tried. */
  async function refusal(d: WebhookDelivery): Promise<{ error: string } | { url: string; secret: string }> {
    const endpoint = await store.webhooks.getEndpoint(d.endpointId);
    if (endpoint === null || endpoint.accountId !== d.accountId) return { error: "endpoint_removed" };
    const account = await store.accounts.get(d.accountId);
    if (account === null) return { error: "account_deleted" };
    if (account.disabledAt !== null) return { error: "account_disabled" };
    const secret = open(deps.webKeys.webhooks, endpoint.sealedSecret, `webhook:${endpoint.id}`);
    // Sealed under another SECRET, or damaged: no try can ever sign it.
    if (secret === null) return { error: "unreadable" };
    return { url: endpoint.url, secret: secret.toString("utf8") };
  }

  async function tryOne(d: WebhookDelivery): Promise<void> {
    const tag = { delivery: d.id.slice(0, 8), event: d.type, attempt: d.attempts };
    const target = await refusal(d);
    if ("error" in target) {
      await store.webhooks.settle(d.id, { state: "failed", lastError: target.error }, deps.now());
      log.warn({ ...tag, code: target.error }, "webhook not delivered: refused");
      return;
    }
    const event = { id: d.eventId, timestampSec: Math.floor(deps.now() / 1000), body: d.body };
    const result: DeliveryResult = await deliver(target, event, policy);
    if (result.ok) {
      const outcome = { state: "delivered" as const, lastStatus: result.status, lastError: null };
      await store.webhooks.settle(d.id, outcome, deps.now());
      log.info({ ...tag, status: result.status, ms: result.ms }, "webhook delivered");
      return;
    }
    const failed = { lastStatus: result.status, lastError: result.error };
    if (!result.retry || d.attempts >= config.maxAttempts) {
      await store.webhooks.settle(d.id, { state: "failed", ...failed }, deps.now());
      log.warn({ ...tag, code: result.error }, "webhook failed for good");
      return;
    }
    const wait = webhookRetryDelayMs(d.attempts, config.retryBaseMs);
    await store.webhooks.settle(d.id, { state: "queued", dueAt: deps.now() + wait, ...failed }, deps.now());
    log.warn({ ...tag, code: result.error, retryInMs: wait }, "webhook not delivered: will retry");
    // A retry due before the next poll is tried on time by this process (another may claim it first).
    if (wait < intervalMs && timer !== null) setTimeout(() => void worker.drain(), wait).unref();
  }

  async function drainOnce(): Promise<number> {
    let tried = 0;
    for (;;) {
      const d = await store.webhooks.claim(deps.now(), leaseMs);
      if (d === null) return tried;
      tried++;
      await tryOne(d);
    }
  }

  const worker: WebhookWorker = {
    drain() {
      // One drain at a time per process; a wake during one runs another right after it.
      if (draining !== null) {
        again = true;
        return draining;
      }
      draining = drainOnce()
        .catch((err: Error) => {
          log.warn({ errType: err.name }, "webhook drain failed");
          return 0;
        })
        .finally(() => {
          draining = null;
          if (again) {
            again = false;
            void worker.drain();
          }
        });
      return draining;
    },
    start() {
      timer ??= setInterval(() => void worker.drain(), intervalMs);
      timer.unref();
      deps.webhookWake = () => void worker.drain();
      void worker.drain();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      deps.webhookWake = undefined;
      again = false;
      await draining;
    },
  };
  return worker;
}
