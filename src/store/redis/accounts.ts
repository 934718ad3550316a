import type { AccountRow, AccountStore } from "../ports/accounts.js";
import type { RedisConnection } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import { num, text } from "./records.js";
import { redisSessions } from "./sessions.js";

// Accounts in Redis: the account hash, its credentials and its list live under {a:<account id>};
// its sessions and tickets are in sessions.ts. Deleting an account is one script (see DELETE).

const CREATE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

// An empty token hash revokes the token: both fields go.
const SET_TOKEN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '' then
  redis.call('HDEL', KEYS[1], 'token_hash', 'wrapped_list_key')
  redis.call('HSET', KEYS[1], 'updated_at', ARGV[3])
else
  redis.call('HSET', KEYS[1], 'token_hash', ARGV[1], 'wrapped_list_key', ARGV[2], 'updated_at', ARGV[3])
end
return 1`;

// An empty ARGV[1] enables the account again.
const SET_DISABLED = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if ARGV[1] == '' then redis.call('HDEL', KEYS[1], 'disabled_at')
else redis.call('HSET', KEYS[1], 'disabled_at', ARGV[1]) end
redis.call('HSET', KEYS[1], 'updated_at', ARGV[2])
return 1`;

// Deletes an account with everything of it, or nothing. KEYS[1..8] are the account's own keys (one
// slot): the account, its list (3 keys), its credentials, its set of session ids, its requests' list
// (2 keys; the requests themselves expire, and refuse answers once their account is gone). KEYS[9..] are the
// rows on other slots: its sessions, and each listed receipt with its secret and pointer. Those ids
// were read before the script, so it first checks that the list and the session set still hold
// exactly them (ARGV[1] = how many receipt ids follow, then the session ids): when a share or a
// sign-in slipped in between, it changes nothing and answers -1, and the caller reads again.
// Answers 0 when the account does not exist, 1 once it is deleted.
const DELETE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = tonumber(ARGV[1])
if redis.call('ZCARD', KEYS[2]) ~= n or redis.call('SCARD', KEYS[6]) ~= #ARGV - 1 - n then return -1 end
for i = 2, n + 1 do
  if not redis.call('ZSCORE', KEYS[2], ARGV[i]) then return -1 end
end
for i = n + 2, #ARGV do
  if redis.call('SISMEMBER', KEYS[6], ARGV[i]) == 0 then return -1 end
end
for i = 1, #KEYS, 512 do
  redis.call('DEL', unpack(KEYS, i, math.min(i + 511, #KEYS)))
end
return 1`;

/** Tries of a deletion that keeps meeting new shares or sign-ins before it gives up. */
const DELETE_TRIES = 5;

const ACCOUNT_FIELDS = ["email", "token_hash", "wrapped_list_key", "created_at", "updated_at", "disabled_at"];
const CREDENTIAL_FIELDS = ["salt", "verifier", "wrapped_list_key", "verified_at", "locale", "updated_at"];

export function redisAccounts(conn: RedisConnection, keys: RedisKeys): AccountStore {
  const { client: c, run, guard } = conn;

  /** Every key of the account: its own slot's first (the script's KEYS[1..8]), then the others. */
  async function accountKeys(id: string) {
    const [receiptIds, sessionIds] = await Promise.all([
      c.zRange(keys.list(id), 0, -1).then((ids) => ids.map(String)),
      c.sMembers(keys.sessionSet(id)).then((ids) => ids.map(String)),
    ]);
    const secretIds = await Promise.all(receiptIds.map((rid) => c.get(keys.pointer(rid))));
    const own = [
      keys.account(id),
      keys.list(id),
      keys.listSealed(id),
      keys.listExpiry(id),
      keys.credentials(id),
      keys.sessionSet(id),
      keys.requestList(id),
      keys.requestSealed(id),
    ];
    // Per slot: a Cluster takes one DEL per slot; a receipt's secret and receipt share one.
    const others = [
      ...sessionIds.map((sid) => [keys.session(sid)]),
      ...receiptIds.map((rid) => [keys.pointer(rid)]),
      ...secretIds.flatMap((sid) =>
        sid === null ? [] : [[keys.secret(String(sid)), keys.receipt(String(sid))]],
      ),
    ];
    return { own, others, args: [receiptIds.length, ...receiptIds, ...sessionIds] };
  }

  // One script on a single Redis. A Cluster cannot run a script over several slots, nor make writes
  // on several masters atomic: there the script deletes the account's own keys (so no session can
  // reach it any more and its list is gone), then the rows on other slots follow at once.
  async function remove(id: string): Promise<boolean> {
    for (let tries = 0; tries < DELETE_TRIES; tries++) {
      const { own, others, args } = await accountKeys(id);
      const scriptKeys = conn.cluster ? own : [...own, ...others.flat()];
      const done = Number(await run(DELETE, scriptKeys, args));
      if (done === 0) return false;
      if (done === -1) continue;
      if (conn.cluster) await Promise.all(others.map((slot) => c.del(slot)));
      return true;
    }
    throw new Error("the account kept changing while it was being deleted");
  }

  async function read(id: string): Promise<AccountRow | null> {
    const v = await c.hmGet(keys.account(id), ACCOUNT_FIELDS);
    if (v[0] === null || v[0] === undefined) return null;
    return {
      id,
      email: v[0].toString(),
      tokenHash: v[1] ?? null,
      wrappedListKey: v[2] ?? null,
      createdAt: num(v[3]),
      updatedAt: num(v[4]),
      disabledAt: text(v[5]) === "" ? null : num(v[5]),
    };
  }

  return {
    create: (account) =>
      guard(async () => {
        const fields = Object.entries(accountHash(account)).flat();
        return Number(await run(CREATE, [keys.account(account.id)], fields)) === 1;
      }),

    get: (id) => guard(() => read(id)),

    setToken: (id, tokenHash, wrappedListKey, now) =>
      guard(async () => {
        const args = [tokenHash ?? "", wrappedListKey ?? "", now];
        if (Number(await run(SET_TOKEN, [keys.account(id)], args)) !== 1) return false;
        // Another slot, so not in the script: the pointer is only a hint, and accountByToken checks it
        // against the account's token_hash, so a replaced or revoked token's old pointer finds nothing.
        if (tokenHash !== null) await c.set(keys.token(tokenHash.toString("hex")), id);
        return true;
      }),

    accountByToken: (tokenHash) =>
      guard(async () => {
        const id = (await c.get(keys.token(tokenHash.toString("hex"))))?.toString() ?? null;
        if (id === null) return null;
        const current = await c.hGet(keys.account(id), "token_hash");
        return current !== null && current !== undefined && Buffer.from(current).equals(tokenHash)
          ? id
          : null;
      }),

    setDisabled: (id, disabledAt, now) =>
      guard(async () => {
        const args = [disabledAt === null ? "" : disabledAt, now];
        return Number(await run(SET_DISABLED, [keys.account(id)], args)) === 1;
      }),

    // Accounts are keyed by the HMAC of their address, so a search reads every account's address:
    // one SCAN of this deployment's account keys on every master (docs/admin.md says what it costs).
    findAccounts: (search, limit) =>
      guard(async () => {
        const wanted = search.toLowerCase();
        const pattern = keys.account("*");
        const ids: string[] = [];
        for (const node of await conn.masters()) {
          for await (const batch of node.scanIterator({ MATCH: pattern, COUNT: 500 })) {
            for (const key of batch as string[])
              ids.push(key.slice(pattern.indexOf("*"), key.length - "}:a".length));
          }
        }
        const rows = (await Promise.all(ids.map(read))).filter(
          (row): row is AccountRow => row?.email.toLowerCase().includes(wanted) === true,
        );
        rows.sort((a, b) => (a.email === b.email ? cmp(a.id, b.id) : cmp(a.email, b.email)));
        return rows.slice(0, limit);
      }),

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
  if (a.disabledAt !== null) h.disabled_at = String(a.disabledAt);
  return h;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
