import type { AuditEntry, AuditLog, AuditQuery } from "../ports/audit.js";
import type { RedisConnection } from "./connection.js";
import type { RedisKeys } from "./keys.js";

// The audit log in Redis. Its three keys share the hash tag {audit} (one Cluster slot), so an
// append and its trim are one script: a sorted set of ids with equal scores, read in lexical order
// (ids sort by time), a sorted set of ids by expiry, and a hash of id → the entry as JSON. The log
// carries a native expiry at its newest entry's, and every read skips entries expired by `now`.

// Adds an entry, then drops at most 100 expired ones (by ARGV[4]), so the log never grows past its
// retention by more than the entries of a quiet spell; purgeExpired drops the rest.
const APPEND = `
redis.call('ZADD', KEYS[1], 0, ARGV[1])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[2])
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[4], 'LIMIT', 0, 100)
if #old > 0 then
  redis.call('ZREM', KEYS[1], unpack(old))
  redis.call('ZREM', KEYS[2], unpack(old))
  redis.call('HDEL', KEYS[3], unpack(old))
end
local last = redis.call('ZRANGE', KEYS[2], -1, -1, 'WITHSCORES')
for i = 1, 3 do redis.call('PEXPIREAT', KEYS[i], last[2]) end
return #old`;

// Drops at most ARGV[2] entries expired by ARGV[1]; returns how many.
const TRIM = `
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #old == 0 then return 0 end
redis.call('ZREM', KEYS[1], unpack(old))
redis.call('ZREM', KEYS[2], unpack(old))
redis.call('HDEL', KEYS[3], unpack(old))
return #old`;

const TRIM_CHUNK = 500;
/** Ids read per round while a filtered page fills. */
const READ_CHUNK = 200;

export interface RedisAuditLog extends AuditLog {
  /** Deletes every expired entry; returns how many (for purgeExpired). */
  purge(now: number): Promise<number>;
}

export function redisAudit({ client: c, run, guard }: RedisConnection, keys: RedisKeys): RedisAuditLog {
  const all = [keys.auditIds, keys.auditExpiry, keys.auditRows];

  async function list(q: AuditQuery): Promise<AuditEntry[]> {
    const newest = q.order === "newest";
    const found: AuditEntry[] = [];
    let after = q.after;
    while (found.length < q.limit) {
      const from = after === undefined ? (newest ? "+" : "-") : `(${after}`;
      const to = newest ? "-" : "+";
      const ids = (
        await c.zRange(keys.auditIds, from, to, {
          BY: "LEX",
          REV: newest ? true : undefined,
          LIMIT: { offset: 0, count: Math.max(q.limit, READ_CHUNK) },
        })
      ).map(String);
      if (ids.length === 0) break;
      const rows = await c.hmGet(keys.auditRows, ids);
      for (const row of rows) {
        if (row === null || row === undefined) continue;
        const entry = JSON.parse(row.toString()) as AuditEntry;
        if (entry.expiresAt <= q.now) continue;
        if (q.about !== undefined && entry.actor !== q.about && entry.target !== q.about) continue;
        if (q.ip !== undefined && entry.ip !== q.ip) continue;
        found.push(entry);
        if (found.length === q.limit) break;
      }
      after = ids[ids.length - 1];
    }
    return found;
  }

  return {
    append: (entry) =>
      guard(async () => {
        await run(APPEND, all, [entry.id, JSON.stringify(entry), entry.expiresAt, entry.at]);
      }),
    list: (q) => guard(() => list(q)),
    purge: (now) =>
      guard(async () => {
        let purged = 0;
        for (;;) {
          const n = Number(await run(TRIM, all, [now, TRIM_CHUNK]));
          purged += n;
          if (n < TRIM_CHUNK) return purged;
        }
      }),
  };
}
