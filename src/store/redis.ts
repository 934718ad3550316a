import { redisAccounts } from "./redis/accounts.js";
import { redisAudit } from "./redis/audit.js";
import { connectRedis, type RedisOptions } from "./redis/connection.js";
import { redisCounters } from "./redis/counters.js";
import { redisKeys } from "./redis/keys.js";
import { redisOutbox } from "./redis/outbox.js";
import { redisRequests } from "./redis/requests.js";
import { redisSecrets } from "./redis/secrets.js";
import { redisSize } from "./redis/size.js";
import { redisWebhooks } from "./redis/webhooks.js";
import type { Store } from "./types.js";

export type { RedisOptions } from "./redis/connection.js";

export const REDIS_STORE = "redis";

// Purge one key if it is a row (a hash with expires_at) that has expired by ARGV[1].
const PURGE_ONE = `
local e = redis.call('HGET', KEYS[1], 'expires_at')
if not e or tonumber(e) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/** Rows with an expires_at field: secrets, receipts, sessions (:s too), tickets, requests and counters. */
const SWEPT = /:(s|r|t|q)$|:c:\{/;

export async function openRedisStore(options: RedisOptions): Promise<Store> {
  const conn = await connectRedis(options);
  const prefix = options.prefix ?? "onetime";
  const keys = redisKeys(prefix);
  const audit = redisAudit(conn, keys);

  return {
    name: REDIS_STORE,
    expiresNatively: true,
    secrets: redisSecrets(conn, keys),
    accounts: redisAccounts(conn, keys),
    counters: redisCounters(conn, keys),
    outbox: redisOutbox(conn, keys),
    audit,
    requests: redisRequests(conn, keys),
    webhooks: redisWebhooks(conn, keys),
    size: redisSize(conn, keys, prefix),

    // Redis expires rows by itself; this sweep exists for `onetime purge` and rows that a clock
    // ahead of Redis's already counts as expired. It scans this deployment's keys on every master.
    // Audit entries live in one log (redis/audit.ts), trimmed by expiry as entries are added.
    purgeExpired: (now) =>
      conn.guard(async () => {
        let purged = await audit.purge(now);
        for (const node of await conn.masters()) {
          for await (const batch of node.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
            const rows = (batch as string[]).filter((k) => SWEPT.test(k));
            const done = await Promise.all(rows.map((k) => conn.run(PURGE_ONE, [k], [now])));
            purged += done.reduce((sum: number, d) => sum + Number(d), 0);
          }
        }
        return purged;
      }),

    ping: () =>
      conn.guard(async () => {
        await conn.client.get(`${prefix}:ping`);
      }),

    close: () => conn.close(),
  };
}
