import { randomBytes } from "node:crypto";
import { seal } from "../crypto/aead.js";
import { AppError } from "../domain/errors.js";
import { isWebhookEventType, WEBHOOK_EVENTS, type WebhookEventType } from "../domain/webhooks.js";
import type { DeliveryState } from "../store/types.js";
import { checkEndpointUrl } from "../webhooks/endpoint-url.js";
import { newEndpointSecret } from "../webhooks/sign.js";
import type { Deps } from "./deps.js";

// An account's webhook endpoints (docs/webhooks.md): add one (its signing secret is returned once
// and kept only sealed), list them with their delivery log, remove one.

export interface WebhookDeliveryView {
  eventId: string;
  type: WebhookEventType;
  state: DeliveryState;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface WebhookEndpointView {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: number;
  /** Its deliveries, newest first (at most LOG_ROWS). */
  log: WebhookDeliveryView[];
}

const LOG_ROWS = 20;

function checkEnabled(deps: Deps): void {
  if (!deps.config.webhooks.enabled) throw new AppError("webhooks_off");
}

/**
 * Adds an endpoint for `events` (one at least; an unknown name is refused).
 * Returns its id and its secret, which nobody can see again.
 */
export async function addWebhook(
  deps: Deps,
  accountId: string,
  input: { url: string; events: readonly string[] },
): Promise<{ id: string; secret: string }> {
  checkEnabled(deps);
  const config = deps.config.webhooks;
  const checked = checkEndpointUrl(input.url.trim(), config.allowedHosts);
  if (!checked.ok) throw new AppError("webhook_url_refused", { reason: checked.error });
  const events = WEBHOOK_EVENTS.filter((e) => input.events.includes(e));
  if (events.length === 0 || !input.events.every(isWebhookEventType))
    throw new AppError("webhook_events_none");
  const existing = await deps.store.webhooks.listEndpoints(accountId);
  if (existing.length >= config.maxEndpoints)
    throw new AppError("webhooks_full", { max: config.maxEndpoints });
  const id = `ep_${randomBytes(12).toString("hex")}`;
  const secret = newEndpointSecret();
  await deps.store.webhooks.addEndpoint({
    id,
    accountId,
    url: checked.url,
    sealedSecret: seal(deps.webKeys.webhooks, Buffer.from(secret), `webhook:${id}`),
    events,
    createdAt: deps.now(),
  });
  return { id, secret };
}

/** The account's endpoints, oldest first, each with its latest deliveries. */
export async function listWebhooks(deps: Deps, accountId: string): Promise<WebhookEndpointView[]> {
  const now = deps.now();
  const endpoints = await deps.store.webhooks.listEndpoints(accountId);
  return Promise.all(
    endpoints.map(async (e) => ({
      id: e.id,
      url: e.url,
      events: e.events,
      createdAt: e.createdAt,
      log: (await deps.store.webhooks.log(e.id, LOG_ROWS, now)).map((d) => ({
        eventId: d.eventId,
        type: d.type,
        state: d.state,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        createdAt: d.createdAt,
        updatedAt: d.updatedAt,
      })),
    })),
  );
}

export async function removeWebhook(deps: Deps, accountId: string, id: string): Promise<void> {
  if (!(await deps.store.webhooks.removeEndpoint(accountId, id))) throw new AppError("no_webhook");
}
