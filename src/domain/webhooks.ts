// Webhooks (docs/webhooks.md): the events an account's endpoints may subscribe to, and the body a
// delivery carries. A body names a receipt by its short id and tells its state, times and view
// counts: never the secret, its link, a key or an address.

export type WebhookEventType =
  | "secret.created"
  | "secret.read"
  | "secret.burned"
  | "secret.expired"
  | "request.answered";

export const WEBHOOK_EVENTS: readonly WebhookEventType[] = [
  "secret.created",
  "secret.read",
  "secret.burned",
  "secret.expired",
  "request.answered",
];

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/** What an event tells of its receipt (or request): nothing that opens anything. */
export interface WebhookEventData {
  /** The receipt's (or request's) short id: the first characters of its store id, an HMAC. */
  receipt: string;
  state: string;
  createdAt: number;
  expiresAt: number;
  viewsUsed: number;
  views: number;
  /** request.answered only: the request's answers taken so far, this one included, and its cap. */
  answersUsed?: number;
  answersMax?: number;
}

/**
 * The JSON body of an event, Standard Webhooks style: `type`, an ISO `timestamp` of the event and
 * `data`. The id travels in the `webhook-id` header and in the body, stable across retries.
 */
export function webhookBody(id: string, type: WebhookEventType, at: number, data: WebhookEventData): string {
  return JSON.stringify({
    id,
    type,
    timestamp: new Date(at).toISOString(),
    data: {
      receipt: data.receipt,
      state: data.state,
      created_at: new Date(data.createdAt).toISOString(),
      expires_at: new Date(data.expiresAt).toISOString(),
      views_used: data.viewsUsed,
      views: data.views,
      ...(data.answersUsed === undefined
        ? {}
        : { answers_used: data.answersUsed, answers_max: data.answersMax }),
    },
  });
}
