import type { MailRow, MailState, MailStatus } from "./types.js";

// The outbox in Redis. Every outbox key shares the hash tag {m} (one Cluster slot). A sorted set
// holds queued mail ids by due time; a claim is one script that takes the id due soonest and pushes
// its score to the end of the claimer's lease, so no other worker can take it meanwhile. Mail
// hashes and the receipt → mail pointers expire natively with their receipts.

type Reply = Buffer | null;

export interface MailClient {
  run(script: string, keys: string[], args: (string | Buffer | number)[]): Promise<unknown>;
  hmGet(key: string, fields: string[]): Promise<unknown>;
  get(key: string): Promise<unknown>;
  multi(): {
    hSet(key: string, value: Record<string, string | Buffer>): unknown;
    pExpireAt(key: string, at: number): unknown;
    zAdd(key: string, member: { score: number; value: string }): unknown;
    set(key: string, value: string, options: { PXAT: number }): unknown;
    exec(): Promise<unknown>;
  };
  zRem(key: string, member: string): Promise<unknown>;
}

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

// The queued id due soonest (score ≤ now), re-scored to the end of the lease; false if none is due.
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], 'XX', ARGV[2], due[1])
return due[1]`;

// Counts the try and records the lease on the mail itself; false if it has expired (by ARGV[2]).
const LEASE = `
local e = redis.call('HGET', KEYS[1], 'expires_at')
if not e or tonumber(e) <= tonumber(ARGV[2]) then return false end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'due_at', ARGV[1], 'updated_at', ARGV[2])
return redis.call('HMGET', KEYS[1], ${FIELDS.map((f) => `'${f}'`).join(", ")})`;

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

export function redisMail(prefix: string, c: MailClient) {
  const dueKey = `${prefix}:{m}:due`;
  const mailKey = (id: string) => `${prefix}:{m}:q:${id}`;
  const receiptMailKey = (rid: string) => `${prefix}:{m}:r:${rid}`;

  return {
    async enqueue(mail: MailRow): Promise<void> {
      const m = c.multi();
      m.hSet(mailKey(mail.id), {
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
      m.pExpireAt(mailKey(mail.id), mail.expiresAt);
      m.zAdd(dueKey, { score: mail.dueAt, value: mail.id });
      if (mail.receiptId !== null) m.set(receiptMailKey(mail.receiptId), mail.id, { PXAT: mail.expiresAt });
      await m.exec();
    },

    async claim(now: number, leaseMs: number): Promise<MailRow | null> {
      for (;;) {
        const id = (await c.run(CLAIM, [dueKey], [now, now + leaseMs])) as Reply;
        if (id === null) return null;
        const reply = (await c.run(LEASE, [mailKey(id.toString())], [now + leaseMs, now])) as Reply[] | null;
        // Expired with its receipt: drop it from the queue and look again.
        if (reply === null) {
          await c.zRem(dueKey, id.toString());
          continue;
        }
        const f = Object.fromEntries(FIELDS.map((name, i) => [name, reply[i] ?? null])) as Record<
          string,
          Reply
        >;
        return {
          id: id.toString(),
          receiptId: str(f.receipt_id) || null,
          sealed: f.sealed ?? Buffer.alloc(0),
          state: str(f.state) as MailState,
          attempts: Number(str(f.attempts)),
          dueAt: Number(str(f.due_at)),
          lastError: str(f.last_error) || null,
          createdAt: Number(str(f.created_at)),
          updatedAt: Number(str(f.updated_at)),
          expiresAt: Number(str(f.expires_at)),
        };
      }
    },

    async settle(
      id: string,
      outcome: { state: MailState; dueAt?: number; lastError?: string | null },
      now: number,
    ): Promise<boolean> {
      const args = [outcome.state, outcome.dueAt ?? now, outcome.lastError ?? "", now, id];
      return (await c.run(SETTLE, [mailKey(id), dueKey], args)) === 1;
    },

    async status(receiptId: string, now: number): Promise<MailStatus | null> {
      const id = (await c.get(receiptMailKey(receiptId))) as Reply;
      if (id === null) return null;
      const [state, attempts, lastError, updatedAt, expiresAt] = (await c.hmGet(mailKey(id.toString()), [
        "state",
        "attempts",
        "last_error",
        "updated_at",
        "expires_at",
      ])) as Reply[];
      if (state === null || state === undefined || Number(str(expiresAt)) <= now) return null;
      return {
        state: str(state) as MailState,
        attempts: Number(str(attempts)),
        lastError: str(lastError) || null,
        updatedAt: Number(str(updatedAt)),
      };
    },
  };
}

function str(v: Reply | undefined): string {
  return v === null || v === undefined ? "" : v.toString();
}
