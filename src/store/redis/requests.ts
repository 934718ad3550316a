import type { OwnedRequest, RequestAnswer, RequestRow, RequestStore } from "../ports/requests.js";
import type { RedisConnection, Reply } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import { luaList, num } from "./records.js";

// Secret requests in Redis. A request is one hash under its own tag {q:<id>}: its fields, and each
// answer as a field `a:<n>` (packed: see packAnswer), so taking a slot and listing the answer is one
// script on one key. `expires_at` is when the row goes (native PEXPIREAT, and the sweep's field);
// the request link's own expiry is `link_expires_at`. The owner's list is a sorted set (request id →
// created_at) and a hash (request id → sealed manage key) under {a:<account id>}, deleted with the
// account; an entry whose request is gone is dropped when the list is read.

const ROW_FIELDS = [
  "account_id",
  "sealed_note",
  "public_key",
  "answer_key",
  "answers_max",
  "answers_used",
  "created_at",
  "link_expires_at",
  "closed_at",
  "expires_at",
] as const;

// ARGV: now, the packed answer, its expiry. Returns the row's fields after, or nil when not open.
const ANSWER = `
local v = redis.call('HMGET', KEYS[1], 'expires_at', 'link_expires_at', 'closed_at', 'answers_max', 'answers_used')
local now = tonumber(ARGV[1])
if not v[1] or tonumber(v[1]) <= now or tonumber(v[2]) <= now or v[3] then return nil end
local used = tonumber(v[5])
if used >= tonumber(v[4]) then return nil end
used = used + 1
redis.call('HSET', KEYS[1], 'answers_used', used, 'a:' .. used, ARGV[2])
if tonumber(ARGV[3]) > tonumber(v[1]) then
  redis.call('HSET', KEYS[1], 'expires_at', ARGV[3])
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
end
return redis.call('HMGET', KEYS[1], ${luaList(ROW_FIELDS)})`;

// ARGV: now. Closes an open request; returns its fields after, or nil.
const CLOSE = `
local v = redis.call('HMGET', KEYS[1], 'expires_at', 'link_expires_at', 'closed_at', 'answers_max', 'answers_used')
local now = tonumber(ARGV[1])
if not v[1] or tonumber(v[1]) <= now or tonumber(v[2]) <= now or v[3] then return nil end
if tonumber(v[5]) >= tonumber(v[4]) then return nil end
redis.call('HSET', KEYS[1], 'closed_at', ARGV[1])
return redis.call('HMGET', KEYS[1], ${luaList(ROW_FIELDS)})`;

// KEYS: the list, the sealed keys. ARGV: request id, created_at, sealed manage key.
const LIST_ADD = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return 1`;

export function redisRequests({ client: c, run, guard }: RedisConnection, keys: RedisKeys): RequestStore {
  async function read(id: string, now: number): Promise<RequestRow | null> {
    return toRow(id, await c.hmGet(keys.request(id), [...ROW_FIELDS]), now);
  }

  return {
    create: (r, sealedManageKey) =>
      guard(async () => {
        const key = keys.request(r.id);
        // The row first: a list entry without its row is dropped when read, never the reverse.
        await c.multi().hSet(key, rowHash(r)).pExpireAt(key, r.keepUntil).exec();
        await run(
          LIST_ADD,
          [keys.requestList(r.accountId), keys.requestSealed(r.accountId)],
          [r.id, r.createdAt, sealedManageKey],
        );
      }),

    get: (id, now) => guard(() => read(id, now)),

    answer: (id, a, now) =>
      guard(async () => {
        const reply = (await run(ANSWER, [keys.request(id)], [now, packAnswer(a), a.expiresAt])) as
          | Reply[]
          | null;
        return reply === null ? null : toRow(id, reply, now);
      }),

    close: (id, now) =>
      guard(async () => {
        const reply = (await run(CLOSE, [keys.request(id)], [now])) as Reply[] | null;
        return reply === null ? null : toRow(id, reply, now);
      }),

    answers: (id, now) =>
      guard(async () => {
        const row = await read(id, now);
        if (row === null || row.answersUsed === 0) return [];
        const fields = Array.from({ length: row.answersUsed }, (_, i) => `a:${i + 1}`);
        const packed = await c.hmGet(keys.request(id), fields);
        return packed
          .filter((p): p is Buffer => p !== null && p !== undefined)
          .map(unpackAnswer)
          .filter((a) => a.expiresAt > now);
      }),

    list: (accountId, since, now) =>
      guard(async () => {
        const listKey = keys.requestList(accountId);
        const ids = (await c.zRangeByScore(listKey, since, "+inf")).map(String);
        if (ids.length === 0) return [];
        const sealed = await c.hmGet(keys.requestSealed(accountId), ids);
        const rows = await Promise.all(ids.map((id) => read(id, now)));
        const owned: OwnedRequest[] = [];
        const gone: string[] = [];
        rows.forEach((request, i) => {
          const key = sealed[i];
          if (request !== null && key !== null && key !== undefined)
            owned.push({ request, sealedManageKey: key });
          else if (request === null) gone.push(ids[i] as string);
        });
        // Rows that went by expiry (or a clock ahead): their entries go too.
        if (gone.length > 0) {
          const stillGone = (await Promise.all(gone.map((id) => c.exists(keys.request(id))))).every(
            (n) => n === 0,
          );
          if (stillGone)
            await Promise.all([c.zRem(listKey, gone), c.hDel(keys.requestSealed(accountId), gone)]);
        }
        return owned.sort(
          (a, b) => b.request.createdAt - a.request.createdAt || cmp(a.request.id, b.request.id),
        );
      }),
  };
}

function rowHash(r: RequestRow): Record<string, string | Buffer> {
  const h: Record<string, string | Buffer> = {
    account_id: r.accountId,
    sealed_note: r.sealedNote,
    public_key: r.publicKey,
    answer_key: r.answerKey,
    answers_max: String(r.answersMax),
    answers_used: String(r.answersUsed),
    created_at: String(r.createdAt),
    link_expires_at: String(r.expiresAt),
    expires_at: String(r.keepUntil),
  };
  if (r.closedAt !== null) h.closed_at = String(r.closedAt);
  return h;
}

function toRow(id: string, v: (Reply | undefined)[], now: number): RequestRow | null {
  const [accountId, note, publicKey, answerKey, max, used, createdAt, linkExpires, closedAt, expires] = v;
  if (accountId == null || note == null || publicKey == null || answerKey == null) return null;
  if (num(expires) <= now) return null;
  return {
    id,
    accountId: accountId.toString(),
    sealedNote: note,
    publicKey,
    answerKey,
    answersMax: num(max),
    answersUsed: num(used),
    createdAt: num(createdAt),
    expiresAt: num(linkExpires),
    closedAt: closedAt == null ? null : num(closedAt),
    keepUntil: num(expires),
  };
}

// An answer in one field: receipt id (64 hex characters), created_at and expires_at (u64 big-endian),
// the sender key's length (u8) and bytes, then the sealed metadata key.
function packAnswer(a: RequestAnswer): Buffer {
  const times = Buffer.alloc(16);
  times.writeBigUInt64BE(BigInt(a.createdAt), 0);
  times.writeBigUInt64BE(BigInt(a.expiresAt), 8);
  const rid = Buffer.from(a.receiptId, "latin1");
  return Buffer.concat([
    Buffer.of(rid.length),
    rid,
    times,
    Buffer.of(a.senderKey.length),
    a.senderKey,
    a.sealedMetadataKey,
  ]);
}

function unpackAnswer(b: Buffer): RequestAnswer {
  const ridEnd = 1 + (b[0] as number);
  const receiptId = b.subarray(1, ridEnd).toString("latin1");
  const createdAt = Number(b.readBigUInt64BE(ridEnd));
  const expiresAt = Number(b.readBigUInt64BE(ridEnd + 8));
  const keyAt = ridEnd + 17;
  const senderKey = Buffer.from(b.subarray(keyAt, keyAt + (b[ridEnd + 16] as number)));
  const sealedMetadataKey = Buffer.from(b.subarray(keyAt + (b[ridEnd + 16] as number)));
  return { receiptId, sealedMetadataKey, senderKey, createdAt, expiresAt };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
