import { isWebhookEventType } from "../../domain/webhooks.js";
import type {
  DeliveryState,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEventType,
  WebhookStore,
} from "../ports/webhooks.js";
import type { RedisConnection, Reply } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import { claimDue, leaseScript } from "./lease-queue.js";
import { num, text } from "./records.js";

// Webhooks in Redis. Every webhook key shares the hash tag {w} (one Cluster slot), so an endpoint's
// removal with its log is one MULTI. The queue is the mail outbox's (redis/outbox.ts): a sorted set
// of queued delivery ids by due time; a claim re-scores the id due soonest to the end of the lease
// in one script, then counts the try on the delivery. Deliveries expire natively; the logs drop
// ids whose delivery is gone when they are read.

const FIELDS = [
  "event_id",
  "endpoint_id",
  "account_id",
  "type",
  "body",
  "state",
  "attempts",
  "due_at",
  "last_status",
  "last_error",
  "created_at",
  "updated_at",
  "expires_at",
] as const;

const LEASE = leaseScript(FIELDS);

// Records the outcome; "queued" goes back in the due set at its next try, a final state leaves it.
const SETTLE = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[6])
  return 0
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'due_at', ARGV[2], 'last_status', ARGV[3], 'last_error', ARGV[4],
  'updated_at', ARGV[5])
if ARGV[1] == 'queued' then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[6])
else
  redis.call('ZREM', KEYS[2], ARGV[6])
end
return 1`;

export function redisWebhooks(conn: RedisConnection, keys: RedisKeys): WebhookStore {
  const { client: c, run, guard } = conn;

  async function readEndpoint(id: string): Promise<WebhookEndpoint | null> {
    const [accountId, url, sealed, events, createdAt] = await c.hmGet(keys.webhookEndpoint(id), [
      "account_id",
      "url",
      "sealed_secret",
      "events",
      "created_at",
    ]);
    if (accountId === null || accountId === undefined) return null;
    return {
      id,
      accountId: text(accountId),
      url: text(url),
      sealedSecret: sealed ?? Buffer.alloc(0),
      events: text(events).split(",").filter(isWebhookEventType),
      createdAt: num(createdAt),
    };
  }

  async function removeWithLog(endpointIds: string[], accountId: string): Promise<void> {
    const logs = await Promise.all(endpointIds.map((id) => c.zRange(keys.webhookLog(id), 0, -1)));
    const m = c.multi();
    endpointIds.forEach((id, i) => {
      m.del(keys.webhookEndpoint(id));
      m.zRem(keys.webhookAccount(accountId), id);
      m.del(keys.webhookLog(id));
      for (const d of logs[i] ?? []) {
        m.del(keys.webhookDelivery(String(d)));
        m.zRem(keys.webhookDue, String(d));
      }
    });
    await m.exec();
  }

  return {
    addEndpoint: (e) =>
      guard(async () => {
        const m = c.multi();
        m.hSet(keys.webhookEndpoint(e.id), {
          account_id: e.accountId,
          url: e.url,
          sealed_secret: e.sealedSecret,
          events: e.events.join(","),
          created_at: String(e.createdAt),
        });
        m.zAdd(keys.webhookAccount(e.accountId), { score: e.createdAt, value: e.id });
        await m.exec();
      }),

    listEndpoints: (accountId) =>
      guard(async () => {
        const ids = (await c.zRange(keys.webhookAccount(accountId), 0, -1)).map(String);
        const found = await Promise.all(ids.map((id) => readEndpoint(id)));
        return found.filter((e): e is WebhookEndpoint => e !== null && e.accountId === accountId);
      }),

    getEndpoint: (id) => guard(() => readEndpoint(id)),

    removeEndpoint: (accountId, id) =>
      guard(async () => {
        const endpoint = await readEndpoint(id);
        if (endpoint === null || endpoint.accountId !== accountId) return false;
        await removeWithLog([id], accountId);
        return true;
      }),

    removeAccount: (accountId) =>
      guard(async () => {
        const ids = (await c.zRange(keys.webhookAccount(accountId), 0, -1)).map(String);
        await removeWithLog(ids, accountId);
        await c.del(keys.webhookAccount(accountId));
      }),

    enqueue: (deliveries) =>
      guard(async () => {
        if (deliveries.length === 0) return;
        const m = c.multi();
        for (const d of deliveries) {
          const key = keys.webhookDelivery(d.id);
          m.hSet(key, {
            event_id: d.eventId,
            endpoint_id: d.endpointId,
            account_id: d.accountId,
            type: d.type,
            body: d.body,
            state: d.state,
            attempts: String(d.attempts),
            due_at: String(d.dueAt),
            last_status: d.lastStatus === null ? "" : String(d.lastStatus),
            last_error: d.lastError ?? "",
            created_at: String(d.createdAt),
            updated_at: String(d.updatedAt),
            expires_at: String(d.expiresAt),
          });
          m.pExpireAt(key, d.expiresAt);
          m.zAdd(keys.webhookLog(d.endpointId), { score: d.createdAt, value: d.id });
          if (d.state === "queued") m.zAdd(keys.webhookDue, { score: d.dueAt, value: d.id });
        }
        await m.exec();
      }),

    claim: (now, leaseMs) =>
      guard(async () => {
        // A delivery gone with its endpoint, or expired, leaves the queue, and the next one is tried.
        const queue = { due: keys.webhookDue, item: keys.webhookDelivery, lease: LEASE };
        const claimed = await claimDue(conn, queue, now, leaseMs);
        return claimed === null ? null : toDelivery(claimed.id, claimed.fields);
      }),

    settle: (id, outcome, now) =>
      guard(async () => {
        const args = [
          outcome.state,
          outcome.dueAt ?? now,
          outcome.lastStatus ?? "",
          outcome.lastError ?? "",
          now,
          id,
        ];
        return Number(await run(SETTLE, [keys.webhookDelivery(id), keys.webhookDue], args)) === 1;
      }),

    log: (endpointId, limit, now) =>
      guard(async () => {
        const logKey = keys.webhookLog(endpointId);
        const ids = (await c.zRange(logKey, 0, -1, { REV: true })).map(String);
        const rows = await Promise.all(ids.map((id) => c.hmGet(keys.webhookDelivery(id), [...FIELDS])));
        const found: WebhookDelivery[] = [];
        const gone: string[] = [];
        rows.forEach((reply, i) => {
          const id = ids[i] as string;
          if (reply[0] === null || reply[0] === undefined) gone.push(id);
          else {
            const d = toDelivery(id, reply);
            if (d.expiresAt > now) found.push(d);
          }
        });
        if (gone.length > 0) await c.zRem(logKey, gone);
        return found.slice(0, limit);
      }),
  };
}

function toDelivery(id: string, reply: Reply[]): WebhookDelivery {
  const f = Object.fromEntries(FIELDS.map((name, i) => [name, reply[i] ?? null])) as Record<string, Reply>;
  const status = text(f.last_status);
  return {
    id,
    eventId: text(f.event_id),
    endpointId: text(f.endpoint_id),
    accountId: text(f.account_id),
    type: text(f.type) as WebhookEventType,
    body: text(f.body),
    state: text(f.state) as DeliveryState,
    attempts: num(f.attempts),
    dueAt: num(f.due_at),
    lastStatus: status === "" ? null : Number(status),
    lastError: text(f.last_error) || null,
    createdAt: num(f.created_at),
    updatedAt: num(f.updated_at),
    expiresAt: num(f.expires_at),
  };
}
