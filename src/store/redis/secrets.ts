import type { OwnedReceipt, ReceiptRow, SecretHeader, SecretStore } from "../ports/secrets.js";
import type { RedisConnection, Reply } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import {
  luaList,
  num,
  RECEIPT_FIELDS,
  receiptHash,
  SECRET_FIELDS,
  secretHash,
  toReceipt,
  toSecret,
} from "./records.js";

// Secrets, receipts and the accounts' lists in Redis. A secret and its receipt share a slot, so the
// take, the burn and a receipt's transition are each one Lua script over both.

// Take: hand the secret to one caller and spend one view — one script over the secret and its
// receipt (same slot). A live receipt gets the read time; the last view deletes the secret and
// makes the receipt received. A hash without views_left (made before view limits) has one view.
// The reply is the secret's fields, views_left being what is left after this take.
const VIEWS_LEFT = SECRET_FIELDS.indexOf("views_left") + 1;
const TAKE = `
local now = ARGV[1]
local f = redis.call('HMGET', KEYS[1], ${luaList(SECRET_FIELDS)})
if not f[1] or tonumber(f[7]) <= tonumber(now) then return false end
local left = (tonumber(f[${VIEWS_LEFT}]) or 1) - 1
if left > 0 then
  redis.call('HSET', KEYS[1], 'views_left', left)
else
  redis.call('DEL', KEYS[1])
end
local r = redis.call('HMGET', KEYS[2], 'state', 'read_times')
if r[1] == 'new' or r[1] == 'viewed' then
  local times = now
  if r[2] and r[2] ~= '' then times = r[2] .. ',' .. now end
  redis.call('HSET', KEYS[2], 'read_times', times, 'updated_at', now)
  if left == 0 then redis.call('HSET', KEYS[2], 'state', 'received', 'received_at', now) end
end
f[${VIEWS_LEFT}] = tostring(left)
return f`;

// Burn: only a live, unexpired receipt whose secret still exists; delete and mark in one script.
const BURN = `
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[2], 'state', 'expires_at')
if not r[1] or tonumber(r[2]) <= now or (r[1] ~= 'new' and r[1] ~= 'viewed') then return false end
local sexp = redis.call('HGET', KEYS[1], 'expires_at')
if not sexp or tonumber(sexp) <= now then return false end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[2], 'state', 'burned', 'burned_at', ARGV[1], 'updated_at', ARGV[1])
return redis.call('HMGET', KEYS[2], ${luaList(RECEIPT_FIELDS)})`;

// Transition: a live, unexpired receipt moves to ARGV[2] only from a state listed in ARGV[3..].
const TRANSITION = `
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[1], 'state', 'expires_at')
if not r[1] or tonumber(r[2]) <= now then return false end
if r[1] == 'new' or r[1] == 'viewed' then
  for i = 3, #ARGV do
    if ARGV[i] == r[1] then
      redis.call('HSET', KEYS[1], 'state', ARGV[2], 'updated_at', ARGV[1])
      break
    end
  end
end
return redis.call('HMGET', KEYS[1], ${luaList(RECEIPT_FIELDS)})`;

// Expiry notice: the caller won the claim (ZREM); the receipt's notice goes out if its secret
// expired unread: a live receipt becomes expired here, an expired one stays; any other is skipped.
const EXPIRY_NOTICE = `
local now = tonumber(ARGV[1])
local r = redis.call('HMGET', KEYS[1], 'state', 'expires_at')
if not r[1] or tonumber(r[2]) <= now then return false end
if r[1] == 'new' or r[1] == 'viewed' then
  redis.call('HSET', KEYS[1], 'state', 'expired', 'updated_at', ARGV[1])
elseif r[1] ~= 'expired' then
  return false
end
return redis.call('HMGET', KEYS[1], ${luaList(RECEIPT_FIELDS)})`;

// Owner list entry: add one receipt and drop entries whose receipts have expired.
// A list's new sealed metadata keys (ARGV: receipt id, sealed key, ...), for the receipts still listed.
const RESEAL = `
for i = 1, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
end
return 1`;

const OWN = `
local old = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[1])
for _, m in ipairs(old) do
  redis.call('ZREM', KEYS[1], m)
  redis.call('HDEL', KEYS[2], m)
end
if #old > 0 then redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[1]) end
redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[2])
return 1`;

export function redisSecrets({ client: c, run, guard }: RedisConnection, keys: RedisKeys): SecretStore {
  async function secretIdOf(rid: string): Promise<string | null> {
    const sid = await c.get(keys.pointer(rid));
    return sid === null ? null : sid.toString();
  }

  async function readReceipt(rid: string, now: number) {
    const sid = await secretIdOf(rid);
    if (sid === null) return null;
    const receipt = toReceipt(await c.hmGet(keys.receipt(sid), [...RECEIPT_FIELDS]));
    return receipt !== null && receipt.expiresAt > now ? receipt : null;
  }

  return {
    create: (secret, receipt, owner) =>
      guard(async () => {
        const sKey = keys.secret(secret.id);
        const rKey = keys.receipt(secret.id);
        // The secret and its receipt share a slot: one MULTI stores both or neither. The pointer
        // lives on the receipt id's slot, so it cannot join the MULTI; it is sent in the same
        // round trip (one RTT per share instead of two). Either may land without the other only
        // when Redis fails mid-way, as before: a pointer to no receipt reads as unknown, a receipt
        // without its pointer is unreachable, and both expire with the receipt.
        const m = c.multi();
        m.hSet(sKey, secretHash(secret));
        m.pExpireAt(sKey, secret.expiresAt);
        m.hSet(rKey, receiptHash(receipt));
        m.pExpireAt(rKey, receipt.expiresAt);
        await Promise.all([
          m.exec(),
          c.set(keys.pointer(receipt.id), secret.id, { PXAT: receipt.expiresAt }),
          // Another slot again: like the pointer, in the same round trip.
          ...(receipt.notify.includes("expired") || receipt.webhooks
            ? [c.zAdd(keys.expiryNotices, { score: receipt.secretExpiresAt, value: secret.id })]
            : []),
        ]);
        if (owner !== null) {
          const a = owner.accountId;
          await run(
            OWN,
            [keys.list(a), keys.listSealed(a), keys.listExpiry(a)],
            [receipt.createdAt, receipt.id, receipt.createdAt, receipt.expiresAt, owner.sealedMetadataKey],
          );
        }
      }),

    peek: (id, now) =>
      guard(async () => {
        const fields = SECRET_FIELDS.filter((f) => f !== "ciphertext");
        const values = await c.hmGet(keys.secret(id), fields);
        const row = Object.fromEntries(fields.map((f, i) => [f, values[i] ?? null])) as Record<string, Reply>;
        if (row.receipt_id === null || num(row.expires_at) <= now) return null;
        const { ciphertext: _omitted, ...header } = toSecret(id, { ...row, ciphertext: Buffer.alloc(0) });
        return header as SecretHeader;
      }),

    take: (id, now) =>
      guard(async () => {
        const reply = (await run(TAKE, [keys.secret(id), keys.receipt(id)], [now])) as Reply[] | null;
        if (reply === null) return null;
        return toSecret(id, Object.fromEntries(SECRET_FIELDS.map((f, i) => [f, reply[i] ?? null])));
      }),

    getReceipt: (id, now) => guard(() => readReceipt(id, now)),

    transitionReceipt: (id, from, to, now) =>
      guard(async () => {
        const sid = await secretIdOf(id);
        if (sid === null) return null;
        const reply = (await run(TRANSITION, [keys.receipt(sid)], [now, to, ...from])) as Reply[] | null;
        return reply === null ? null : toReceipt(reply);
      }),

    burn: (receiptId, now) =>
      guard(async () => {
        const sid = await secretIdOf(receiptId);
        if (sid === null) return null;
        const reply = (await run(BURN, [keys.secret(sid), keys.receipt(sid)], [now])) as Reply[] | null;
        return reply === null ? null : toReceipt(reply);
      }),

    // The sorted set's ZREM picks one winner per entry among racing sweeps (on any node); the
    // winner then settles the receipt in one script. Entries of receipts read or burned meanwhile
    // are dropped when they fall due.
    claimExpiryNotices: (now, limit) =>
      guard(async () => {
        const due = (
          await c.zRangeByScore(keys.expiryNotices, "-inf", now, { LIMIT: { offset: 0, count: limit } })
        ).map(String);
        const claimed: ReceiptRow[] = [];
        for (const sid of due) {
          if ((await c.zRem(keys.expiryNotices, sid)) !== 1) continue;
          const reply = (await run(EXPIRY_NOTICE, [keys.receipt(sid)], [now])) as Reply[] | null;
          const receipt = reply === null ? null : toReceipt(reply);
          if (receipt !== null) claimed.push(receipt);
        }
        return claimed;
      }),

    resealList: (accountId, entries) =>
      guard(async () => {
        if (entries.length === 0) return;
        const args = entries.flatMap((e) => [e.receiptId, e.sealedMetadataKey]);
        await run(RESEAL, [keys.listSealed(accountId)], args);
      }),

    listReceipts: (accountId, since, now) =>
      guard(async () => {
        const ids = (await c.zRangeByScore(keys.list(accountId), since, "+inf")).map(String);
        if (ids.length === 0) return [];
        const sealed = await c.hmGet(keys.listSealed(accountId), ids);
        const receipts = await Promise.all(ids.map((rid) => readReceipt(rid, now)));
        const owned: OwnedReceipt[] = [];
        receipts.forEach((receipt, i) => {
          const key = sealed[i];
          if (receipt !== null && key !== null && key !== undefined)
            owned.push({ receipt, sealedMetadataKey: key });
        });
        return owned.sort(
          (a, b) => b.receipt.createdAt - a.receipt.createdAt || cmp(a.receipt.id, b.receipt.id),
        );
      }),
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
