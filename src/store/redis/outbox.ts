import type { MailRow, MailState, MailSummary, Outbox } from "../ports/outbox.js";
import type { RedisConnection, Reply } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import { claimDue, leaseScript } from "./lease-queue.js";
import { text } from "./records.js";

// The outbox in Redis. Every outbox key shares the hash tag {m} (one Cluster slot). A sorted set
// holds queued mail ids by due time; a claim is one script that takes the id due soonest and pushes
// its score to the end of the claimer's lease, so no other worker can take it meanwhile. Mail
// hashes and the receipt → mail pointers expire natively with their receipts.

const FIELDS = [
  "receipt_id",
  "sealed",
  "state",
  "attempts",
  "due_at",
  "last_error",
  "created_at",
  "updated_at",
  "expires_at",
] as const;

const LEASE = leaseScript(FIELDS);

// Final states wipe the message and leave the queue; "queued" goes back in at its next due time.
const SETTLE = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[5])
  return 0
end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'due_at', ARGV[2], 'last_error', ARGV[3], 'updated_at', ARGV[4])
if ARGV[1] == 'queued' then
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
else
  redis.call('HSET', KEYS[1], 'sealed', '')
  redis.call('ZREM', KEYS[2], ARGV[5])
end
return 1`;

// A queued mail no worker can hold (its last claim or settle, ARGV[3] ms ago or more) becomes due
// now (ARGV[1]); 0 when it is not queued, expired, or perhaps leased. A claim (lease-queue.ts)
// re-scores the due set before it records the lease on the mail: a score that differs from the
// mail's due_at is a claim half-way, so the mail is left alone.
const RETRY_NOW = `
local f = redis.call('HMGET', KEYS[1], 'state', 'updated_at', 'expires_at', 'due_at')
if f[1] ~= 'queued' then return 0 end
local now = tonumber(ARGV[1])
if tonumber(f[2]) + tonumber(ARGV[3]) > now or tonumber(f[3]) <= now then return 0 end
if tonumber(redis.call('ZSCORE', KEYS[2], ARGV[2]) or '-1') ~= tonumber(f[4]) then return 0 end
redis.call('HSET', KEYS[1], 'due_at', ARGV[1])
redis.call('ZADD', KEYS[2], 'XX', ARGV[1], ARGV[2])
return 1`;

export function redisOutbox(conn: RedisConnection, keys: RedisKeys): Outbox {
  const { client: c, run, guard } = conn;

  /** Ids of queued mail (the due set), or of every mail row (a SCAN of the outbox's keys). */
  async function idsOf(state: "queued" | "failed"): Promise<string[]> {
    if (state === "queued") return (await c.zRange(keys.mailDue, 0, -1)).map(String);
    const pattern = keys.mail("*");
    const ids: string[] = [];
    for (const node of await conn.masters()) {
      for await (const batch of node.scanIterator({ MATCH: pattern, COUNT: 500 })) {
        for (const key of batch as string[]) ids.push(key.slice(pattern.length - 1));
      }
    }
    return ids;
  }

  return {
    enqueue: (mail) =>
      guard(async () => {
        const m = c.multi();
        m.hSet(keys.mail(mail.id), {
          receipt_id: mail.receiptId ?? "",
          sealed: mail.sealed,
          state: mail.state,
          attempts: String(mail.attempts),
          due_at: String(mail.dueAt),
          last_error: mail.lastError ?? "",
          created_at: String(mail.createdAt),
          updated_at: String(mail.updatedAt),
          expires_at: String(mail.expiresAt),
        });
        m.pExpireAt(keys.mail(mail.id), mail.expiresAt);
        m.zAdd(keys.mailDue, { score: mail.dueAt, value: mail.id });
        if (mail.receiptId !== null)
          m.set(keys.receiptMail(mail.receiptId), mail.id, { PXAT: mail.expiresAt });
        await m.exec();
      }),

    claim: (now, leaseMs) =>
      guard(async () => {
        // A mail expired with its receipt leaves the queue, and the next one is tried.
        const claimed = await claimDue(
          conn,
          { due: keys.mailDue, item: keys.mail, lease: LEASE },
          now,
          leaseMs,
        );
        return claimed === null ? null : toMail(claimed.id, claimed.fields);
      }),

    settle: (id, outcome, now) =>
      guard(async () => {
        const args = [outcome.state, outcome.dueAt ?? now, outcome.lastError ?? "", now, id];
        return Number(await run(SETTLE, [keys.mail(id), keys.mailDue], args)) === 1;
      }),

    status: (receiptId, now) =>
      guard(async () => {
        const id = await c.get(keys.receiptMail(receiptId));
        if (id === null) return null;
        const [state, attempts, lastError, updatedAt, expiresAt] = await c.hmGet(keys.mail(id.toString()), [
          "state",
          "attempts",
          "last_error",
          "updated_at",
          "expires_at",
        ]);
        if (state === null || state === undefined || Number(text(expiresAt)) <= now) return null;
        return {
          state: text(state) as MailState,
          attempts: Number(text(attempts)),
          lastError: text(lastError) || null,
          updatedAt: Number(text(updatedAt)),
        };
      }),

    list: (state, limit, now) =>
      guard(async () => {
        const ids = await idsOf(state);
        const rows = await Promise.all(ids.map((id) => c.hmGet(keys.mail(id), [...FIELDS])));
        const found: MailSummary[] = [];
        rows.forEach((reply, i) => {
          if (reply[2] === null || reply[2] === undefined) return;
          const { sealed: _, ...mail } = toMail(ids[i] as string, reply);
          if (mail.state === state && mail.expiresAt > now) found.push(mail);
        });
        found.sort((a, b) => b.updatedAt - a.updatedAt || (a.id < b.id ? -1 : 1));
        return found.slice(0, limit);
      }),

    retryNow: (id, leaseMs, now) =>
      guard(
        async () => Number(await run(RETRY_NOW, [keys.mail(id), keys.mailDue], [now, id, leaseMs])) === 1,
      ),
  };
}

function toMail(id: string, reply: Reply[]): MailRow {
  const f = Object.fromEntries(FIELDS.map((name, i) => [name, reply[i] ?? null])) as Record<string, Reply>;
  return {
    id,
    receiptId: text(f.receipt_id) || null,
    sealed: f.sealed ?? Buffer.alloc(0),
    state: text(f.state) as MailState,
    attempts: Number(text(f.attempts)),
    dueAt: Number(text(f.due_at)),
    lastError: text(f.last_error) || null,
    createdAt: Number(text(f.created_at)),
    updatedAt: Number(text(f.updated_at)),
    expiresAt: Number(text(f.expires_at)),
  };
}
