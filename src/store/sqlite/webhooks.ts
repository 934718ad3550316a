import type { Database } from "better-sqlite3";
import { isWebhookEventType } from "../../domain/webhooks.js";
import type {
  DeliveryState,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
  WebhookStore,
} from "../ports/webhooks.js";
import { guard } from "./guard.js";

// Webhook endpoints and their delivery queue in SQLite. A claim is one IMMEDIATE transaction, as in
// the mail outbox: pick the queued delivery due soonest and push its due time to the end of the
// claimer's lease, so no other process can pick it meanwhile.

export const WEBHOOKS_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_endpoints (
  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, url TEXT NOT NULL, sealed_secret BLOB NOT NULL,
  events TEXT NOT NULL, created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS webhook_endpoints_account ON webhook_endpoints (account_id, created_at);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  id TEXT PRIMARY KEY, event_id TEXT NOT NULL, endpoint_id TEXT NOT NULL, account_id TEXT NOT NULL,
  type TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
  due_at INTEGER NOT NULL, last_status INTEGER, last_error TEXT, created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL, expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (state, due_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
CREATE INDEX IF NOT EXISTS webhook_deliveries_expires ON webhook_deliveries (expires_at);
`;

interface EndpointRecord {
  id: string;
  account_id: string;
  url: string;
  sealed_secret: Buffer;
  events: string;
  created_at: number;
}

interface DeliveryRecord {
  id: string;
  event_id: string;
  endpoint_id: string;
  account_id: string;
  type: string;
  body: string;
  state: DeliveryState;
  attempts: number;
  due_at: number;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
}

export function sqliteWebhooks(db: Database): WebhookStore {
  const q = {
    addEndpoint: db.prepare(
      `INSERT INTO webhook_endpoints (id, account_id, url, sealed_secret, events, created_at)
       VALUES (@id, @account_id, @url, @sealed_secret, @events, @created_at)`,
    ),
    listEndpoints: db.prepare("SELECT * FROM webhook_endpoints WHERE account_id = ? ORDER BY created_at, id"),
    getEndpoint: db.prepare("SELECT * FROM webhook_endpoints WHERE id = ?"),
    removeEndpoint: db.prepare("DELETE FROM webhook_endpoints WHERE id = ? AND account_id = ?"),
    removeLog: db.prepare("DELETE FROM webhook_deliveries WHERE endpoint_id = ?"),
    removeAccount: db.prepare("DELETE FROM webhook_endpoints WHERE account_id = ?"),
    removeAccountLog: db.prepare("DELETE FROM webhook_deliveries WHERE account_id = ?"),
    insert: db.prepare(
      `INSERT INTO webhook_deliveries (id, event_id, endpoint_id, account_id, type, body, state, attempts,
         due_at, last_status, last_error, created_at, updated_at, expires_at)
       VALUES (@id, @event_id, @endpoint_id, @account_id, @type, @body, @state, @attempts, @due_at,
         @last_status, @last_error, @created_at, @updated_at, @expires_at)`,
    ),
    due: db.prepare(
      `SELECT * FROM webhook_deliveries WHERE state = 'queued' AND due_at <= ? AND expires_at > ?
       ORDER BY due_at LIMIT 1`,
    ),
    lease: db.prepare(
      "UPDATE webhook_deliveries SET due_at = ?, attempts = attempts + 1, updated_at = ? WHERE id = ?",
    ),
    settle: db.prepare(
      `UPDATE webhook_deliveries SET state = @state, due_at = @due_at, last_status = @last_status,
         last_error = @last_error, updated_at = @now
       WHERE id = @id`,
    ),
    log: db.prepare(
      `SELECT * FROM webhook_deliveries WHERE endpoint_id = ? AND expires_at > ?
       ORDER BY created_at DESC, id LIMIT ?`,
    ),
  };

  const claim = db.transaction((now: number, leaseMs: number): WebhookDelivery | null => {
    const row = q.due.get(now, now) as DeliveryRecord | undefined;
    if (row === undefined) return null;
    q.lease.run(now + leaseMs, now, row.id);
    return fromDelivery({ ...row, attempts: row.attempts + 1, due_at: now + leaseMs, updated_at: now });
  });
  const enqueue = db.transaction((deliveries: WebhookDelivery[]) => {
    for (const d of deliveries) q.insert.run(toDelivery(d));
  });
  const removeEndpoint = db.transaction((accountId: string, id: string): boolean => {
    if (q.removeEndpoint.run(id, accountId).changes === 0) return false;
    q.removeLog.run(id);
    return true;
  });
  const removeAccount = db.transaction((accountId: string) => {
    q.removeAccount.run(accountId);
    q.removeAccountLog.run(accountId);
  });

  return {
    addEndpoint: async (e) =>
      guard(() => {
        q.addEndpoint.run({
          id: e.id,
          account_id: e.accountId,
          url: e.url,
          sealed_secret: e.sealedSecret,
          events: JSON.stringify(e.events),
          created_at: e.createdAt,
        });
      }),
    listEndpoints: async (accountId) =>
      guard(() => (q.listEndpoints.all(accountId) as EndpointRecord[]).map(fromEndpoint)),
    getEndpoint: async (id) =>
      guard(() => {
        const row = q.getEndpoint.get(id) as EndpointRecord | undefined;
        return row === undefined ? null : fromEndpoint(row);
      }),
    removeEndpoint: async (accountId, id) => guard(() => removeEndpoint.immediate(accountId, id)),
    removeAccount: async (accountId) => guard(() => removeAccount.immediate(accountId)),
    enqueue: async (deliveries) => guard(() => enqueue.immediate(deliveries)),
    claim: async (now, leaseMs) => guard(() => claim.immediate(now, leaseMs)),
    settle: async (id, outcome, now) =>
      guard(
        () =>
          q.settle.run({
            id,
            state: outcome.state,
            due_at: outcome.dueAt ?? now,
            last_status: outcome.lastStatus ?? null,
            last_error: outcome.lastError ?? null,
            now,
          }).changes > 0,
      ),
    log: async (endpointId, limit, now) =>
      guard(() => (q.log.all(endpointId, now, limit) as DeliveryRecord[]).map(fromDelivery)),
  };
}

function fromEndpoint(r: EndpointRecord): WebhookEndpoint {
  return {
    id: r.id,
    accountId: r.account_id,
    url: r.url,
    sealedSecret: r.sealed_secret,
    events: (JSON.parse(r.events) as unknown[]).filter(isWebhookEventType),
    createdAt: r.created_at,
  };
}

function toDelivery(d: WebhookDelivery): DeliveryRecord {
  return {
    id: d.id,
    event_id: d.eventId,
    endpoint_id: d.endpointId,
    account_id: d.accountId,
    type: d.type,
    body: d.body,
    state: d.state,
    attempts: d.attempts,
    due_at: d.dueAt,
    last_status: d.lastStatus,
    last_error: d.lastError,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
    expires_at: d.expiresAt,
  };
}

function fromDelivery(r: DeliveryRecord): WebhookDelivery {
  return {
    id: r.id,
    eventId: r.event_id,
    endpointId: r.endpoint_id,
    accountId: r.account_id,
    type: r.type as WebhookEventType,
    body: r.body,
    state: r.state,
    attempts: r.attempts,
    dueAt: r.due_at,
    lastStatus: r.last_status,
    lastError: r.last_error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
  };
}
