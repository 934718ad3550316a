import { randomBytes } from "node:crypto";
import { receiptShortId } from "../domain/notify.js";
import { viewsUsed } from "../domain/receipt.js";
import { type WebhookEventData, type WebhookEventType, webhookBody } from "../domain/webhooks.js";
import type { ReceiptRow, WebhookDelivery } from "../store/types.js";
import type { Deps } from "./deps.js";

// Webhook events (docs/webhooks.md): an event of an account is queued once for each of its endpoints
// that subscribed to it, in the store's durable queue; a worker (src/server/webhook-worker.ts) sends
// it, in this process or another. Like notices, the caller has already won the event in the store
// (the create, the take, the burn, the expiry claim), so each event is queued once, under one id.

export type { WebhookEventData, WebhookEventType };

/**
 * Queues `type` for the account's endpoints that subscribed to it. Never throws: the event has
 * already happened, and one that cannot be queued is logged, not retried.
 */
export async function queueWebhookEvent(
  deps: Deps,
  accountId: string,
  type: WebhookEventType,
  data: WebhookEventData,
  at: number = deps.now(),
): Promise<void> {
  const config = deps.config.webhooks;
  if (!config.enabled) return;
  try {
    const endpoints = (await deps.store.webhooks.listEndpoints(accountId)).filter((e) =>
      e.events.includes(type),
    );
    if (endpoints.length === 0) return;
    // 128 random bits: the id receivers drop copies by, the same on every try and endpoint.
    const eventId = `msg_${randomBytes(16).toString("hex")}`;
    const body = webhookBody(eventId, type, at, data);
    const now = deps.now();
    const deliveries = endpoints.map(
      (e): WebhookDelivery => ({
        id: randomBytes(16).toString("hex"),
        eventId,
        endpointId: e.id,
        accountId,
        type,
        body,
        state: "queued",
        attempts: 0,
        dueAt: now,
        lastStatus: null,
        lastError: null,
        createdAt: now,
        updatedAt: now,
        expiresAt: now + config.logDays * 86_400_000,
      }),
    );
    await deps.store.webhooks.enqueue(deliveries);
    deps.webhookWake?.();
  } catch (err) {
    deps.log.warn({ errType: (err as Error).name, event: type }, "webhook event not queued");
  }
}

/** What a secret's event tells of its receipt: short id, state, times and view counts. */
export function receiptEventData(receipt: ReceiptRow): WebhookEventData {
  return {
    receipt: receiptShortId(receipt.id),
    state: receipt.state,
    createdAt: receipt.createdAt,
    expiresAt: receipt.secretExpiresAt,
    viewsUsed: viewsUsed(receipt),
    views: receipt.views,
  };
}

/** Whether the account has an endpoint: its new secrets then carry their events (ReceiptRow.webhooks). */
export async function hasWebhooks(deps: Deps, accountId: string): Promise<boolean> {
  if (!deps.config.webhooks.enabled) return false;
  return (await deps.store.webhooks.listEndpoints(accountId)).length > 0;
}
