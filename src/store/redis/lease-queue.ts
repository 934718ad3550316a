// The claim half of a leased work queue on Redis, shared by the mail outbox and webhook deliveries:
// a due set (a sorted set of ids scored by their next try) beside one hash per item. Settling and
// the item's own fields stay with each adapter.
import type { RedisConnection, Reply } from "./connection.js";
import { luaList } from "./records.js";

// The queued id due soonest (score ≤ ARGV[1]), re-scored to the end of the lease; false if none.
const CLAIM = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 1)
if #due == 0 then return false end
redis.call('ZADD', KEYS[1], 'XX', ARGV[2], due[1])
return due[1]`;

/**
 * The script that counts the try and records the lease (ARGV[1]) on the item, returning `fields`;
 * false if the item is gone or expired (by ARGV[2], now).
 */
export function leaseScript(fields: readonly string[]): string {
  return `
local e = redis.call('HGET', KEYS[1], 'expires_at')
if not e or tonumber(e) <= tonumber(ARGV[2]) then return false end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'due_at', ARGV[1], 'updated_at', ARGV[2])
return redis.call('HMGET', KEYS[1], ${luaList(fields)})`;
}

/**
 * Leases the item due soonest until now + leaseMs: its id and its fields (in the order lease was
 * made with), or null when nothing is due. An item gone or expired is dropped from the due set and
 * the next one tried.
 */
export async function claimDue(
  { client, run }: Pick<RedisConnection, "client" | "run">,
  queue: { due: string; item(id: string): string; lease: string },
  now: number,
  leaseMs: number,
): Promise<{ id: string; fields: Reply[] } | null> {
  for (;;) {
    const claimed = (await run(CLAIM, [queue.due], [now, now + leaseMs])) as Reply;
    if (claimed === null) return null;
    const id = claimed.toString();
    const fields = (await run(queue.lease, [queue.item(id)], [now + leaseMs, now])) as Reply[] | null;
    if (fields !== null) return { id, fields };
    await client.zRem(queue.due, id);
  }
}
