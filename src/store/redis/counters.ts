import type { CounterStore } from "../ports/counters.js";
import type { RedisConnection } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import { num } from "./records.js";

// Fixed-window counters in Redis: a hash (count, end of window) with a native expiry at the end of
// its window. A hit (or an add of n) is one script, so racing hits each see a distinct count.

// A new window starts at n when the old one has ended (by `now`, not by Redis's clock).
const ADD = `
local e = tonumber(redis.call('HGET', KEYS[1], 'expires_at') or '0')
if e <= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'n', ARGV[3], 'expires_at', ARGV[2])
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
  return tonumber(ARGV[3])
end
return redis.call('HINCRBY', KEYS[1], 'n', ARGV[3])`;

// A refund takes 1 back inside a live window only, and never goes below 0.
const REFUND = `
local e = tonumber(redis.call('HGET', KEYS[1], 'expires_at') or '0')
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
if e > tonumber(ARGV[1]) and n > 0 then redis.call('HINCRBY', KEYS[1], 'n', -1) end
return 0`;

export function redisCounters({ client: c, run, guard }: RedisConnection, keys: RedisKeys): CounterStore {
  return {
    hit: (key, windowMs, now) =>
      guard(async () => Number(await run(ADD, [keys.counter(key)], [now, now + windowMs, 1]))),
    add: (key, n, windowMs, now) =>
      guard(async () => Number(await run(ADD, [keys.counter(key)], [now, now + windowMs, n]))),
    peek: (key, now) =>
      guard(async () => {
        const [n, e] = await c.hmGet(keys.counter(key), ["n", "expires_at"]);
        return n != null && num(e) > now ? num(n) : 0;
      }),
    refund: (key, now) =>
      guard(async () => {
        await run(REFUND, [keys.counter(key)], [now]);
      }),
  };
}
