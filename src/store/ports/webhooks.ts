// Webhooks: an account's endpoints and the durable queue of their deliveries. A delivery is queued
// with the event that makes it and sent by a worker, possibly in another process, with retries and
// leases like the mail outbox (ports/outbox.ts); what stays of it afterwards is the delivery log.

import type { WebhookEventType } from "../../domain/webhooks.js";

export type { WebhookEventType };

export interface WebhookEndpoint {
  id: string;
  accountId: string;
  url: string;
  /** The signing secret (whsec_…), sealed under a server key: the server must sign with it. */
  sealedSecret: Buffer;
  /** The events it subscribed to. */
  events: WebhookEventType[];
  createdAt: number;
}

export type DeliveryState = "queued" | "delivered" | "failed";

/** One event for one endpoint. Its body holds no secret (domain/webhooks.ts); it is kept for the log. */
export interface WebhookDelivery {
  id: string;
  /** The event's id, the same for every endpoint and every try: receivers drop copies by it. */
  eventId: string;
  endpointId: string;
  accountId: string;
  type: WebhookEventType;
  /** The JSON body, exactly as signed and sent. */
  body: string;
  state: DeliveryState;
  /** Tries made so far. */
  attempts: number;
  /** Its next try, or — while a worker holds it — the end of that worker's lease. */
  dueAt: number;
  /** The receiver's last HTTP status, null when none answered. */
  lastStatus: number | null;
  /** Why the last try failed: a short code (deliver.ts), never a message. */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  /** The row leaves the log after this. */
  expiresAt: number;
}

export interface DeliveryOutcome {
  state: DeliveryState;
  dueAt?: number;
  lastStatus?: number | null;
  lastError?: string | null;
}

export interface WebhookStore {
  addEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  /** The account's endpoints, oldest first. */
  listEndpoints(accountId: string): Promise<WebhookEndpoint[]>;
  getEndpoint(id: string): Promise<WebhookEndpoint | null>;
  /** Removes one of the account's endpoints with its log; false when the account has no such endpoint. */
  removeEndpoint(accountId: string, id: string): Promise<boolean>;
  /** Removes every endpoint of an account (its deletion); queued deliveries then fail at their try. */
  removeAccount(accountId: string): Promise<void>;
  /** Queues deliveries (one per endpoint of an event), all due at their dueAt. */
  enqueue(deliveries: WebhookDelivery[]): Promise<void>;
  /**
   * Atomic claim: the queued delivery due soonest (dueAt ≤ now), leased to the caller until
   * now + leaseMs with its attempt count raised by one; null when none is due. Two workers never
   * hold the same delivery at once; one whose worker dies is claimable again when the lease ends.
   */
  claim(now: number, leaseMs: number): Promise<WebhookDelivery | null>;
  /** Records a try's outcome; `queued` schedules the next at dueAt. False when the row is gone. */
  settle(id: string, outcome: DeliveryOutcome, now: number): Promise<boolean>;
  /** An endpoint's live deliveries, the newest first, at most `limit`. */
  log(endpointId: string, limit: number, now: number): Promise<WebhookDelivery[]>;
}
