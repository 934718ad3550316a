import type { AccountRow, AccountStore } from "../ports/accounts.js";
import type { RedisConnection } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import { num, text } from "./records.js";
import { redisSessions } from "./sessions.js";

// Accounts in Redis: the account hash, its credentials and its list live under {a:<account id>};
// its sessions and tickets are in sessions.ts.

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

const SET_TOKEN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'token_hash', ARGV[1], 'wrapped_list_key', ARGV[2], 'updated_at', ARGV[3])
return 1`;

// Deletes the account and its list; returns the receipt ids it owned (false if none existed).
const DELETE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local owned = redis.call('ZRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return owned`;

const CREDENTIAL_FIELDS = ["salt", "verifier", "wrapped_list_key", "verified_at", "locale", "updated_at"];

export function redisAccounts(conn: RedisConnection, keys: RedisKeys): AccountStore {
  const { client: c, run, guard } = conn;

  async function remove(id: string): Promise<boolean> {
    const own = [keys.account(id), keys.list(id), keys.listSealed(id), keys.listExpiry(id)];
    const owned = (await run(DELETE, own, [])) as Buffer[] | null;
    if (owned === null) return false;
    // The receipts live on their secrets' slots: removed one by one after the account is gone.
    await Promise.all(
      owned.map(async (rid) => {
        const sid = await c.get(keys.pointer(rid.toString()));
        if (sid !== null) await c.del([keys.secret(sid.toString()), keys.receipt(sid.toString())]);
        await c.del([keys.pointer(rid.toString())]);
      }),
    );
    return true;
  }

  return {
    create: (account) =>
      guard(async () => {
        const fields = Object.entries(accountHash(account)).flat();
        return Number(await run(CREATE, [keys.account(account.id)], fields)) === 1;
      }),

    get: (id) =>
      guard(async () => {
        const fields = ["email", "token_hash", "wrapped_list_key", "created_at", "updated_at"];
        const v = await c.hmGet(keys.account(id), fields);
        if (v[0] === null || v[0] === undefined) return null;
        const row: AccountRow = {
          id,
          email: v[0].toString(),
          tokenHash: v[1] ?? null,
          wrappedListKey: v[2] ?? null,
          createdAt: num(v[3]),
          updatedAt: num(v[4]),
        };
        return row;
      }),

    setToken: (id, tokenHash, wrappedListKey, now) =>
      guard(
        async () => Number(await run(SET_TOKEN, [keys.account(id)], [tokenHash, wrappedListKey, now])) === 1,
      ),

    delete: (id) => guard(() => remove(id)),

    setCredentials: (row) =>
      guard(async () => {
        await c.hSet(keys.credentials(row.accountId), {
          salt: row.salt,
          verifier: row.verifier,
          wrapped_list_key: row.wrappedListKey ?? "",
          verified_at: row.verifiedAt === null ? "" : String(row.verifiedAt),
          locale: row.locale ?? "",
          updated_at: String(row.updatedAt),
        });
      }),

    getCredentials: (accountId) =>
      guard(async () => {
        const f = await c.hmGet(keys.credentials(accountId), CREDENTIAL_FIELDS);
        const [salt, verifier, wrapped, verifiedAt, locale, updatedAt] = f;
        if (salt === null || salt === undefined || verifier === null || verifier === undefined) return null;
        return {
          accountId,
          salt,
          verifier,
          wrappedListKey: wrapped === null || wrapped === undefined || wrapped.length === 0 ? null : wrapped,
          verifiedAt: text(verifiedAt) === "" ? null : Number(text(verifiedAt)),
          locale: text(locale) || null,
          updatedAt: Number(text(updatedAt)),
        };
      }),

    deleteCredentials: (accountId) =>
      guard(async () => {
        await c.del([keys.credentials(accountId)]);
      }),

    ...redisSessions(conn, keys),
  };
}

function accountHash(a: AccountRow): Record<string, string | Buffer> {
  const h: Record<string, string | Buffer> = {
    email: a.email,
    created_at: String(a.createdAt),
    updated_at: String(a.updatedAt),
  };
  if (a.tokenHash !== null) h.token_hash = a.tokenHash;
  if (a.wrappedListKey !== null) h.wrapped_list_key = a.wrappedListKey;
  return h;
}
