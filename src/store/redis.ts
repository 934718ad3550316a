import { createHash } from "node:crypto";
import { createClient, createCluster, RESP_TYPES } from "redis";
import { StoreUnavailableError } from "../domain/errors.js";
import { redisAuth } from "./redis-auth.js";
import { redisMail } from "./redis-mail.js";
import type {
  AccountRow,
  OwnedReceipt,
  ReceiptRow,
  ReceiptState,
  SecretHeader,
  SecretRow,
  Store,
} from "./types.js";

export const REDIS_STORE = "redis";

// Key layout. The keys of one secret share the hash tag {<secret id>}, so the secret and its receipt
// live on one Cluster slot and every change to both is one Lua script. A metadata key reaches its
// receipt through an immutable pointer {<receipt id>}:p → secret id. An account's keys share
// {a:<account id>}. Every key carries a native expiry (PEXPIREAT) for cleanup, and every read also
// compares the stored expires_at with `now`, so expired rows read as absent at once.
const secretKey = (p: string, sid: string) => `${p}:{${sid}}:s`;
const receiptKey = (p: string, sid: string) => `${p}:{${sid}}:r`;
const pointerKey = (p: string, rid: string) => `${p}:{${rid}}:p`;
const accountKey = (p: string, aid: string) => `${p}:{a:${aid}}:a`;
const listKey = (p: string, aid: string) => `${p}:{a:${aid}}:l`;
const listSealedKey = (p: string, aid: string) => `${p}:{a:${aid}}:k`;
const listExpiryKey = (p: string, aid: string) => `${p}:{a:${aid}}:x`;
const counterKey = (p: string, key: string) => `${p}:c:{${key}}`;

const SECRET_FIELDS = [
  "receipt_id",
  "ciphertext",
  "verifier",
  "passphrase_salt",
  "share_domain",
  "created_at",
  "expires_at",
] as const;
const RECEIPT_FIELDS = [
  "id",
  "secret_id",
  "sealed_secret_key",
  "owner",
  "state",
  "kind",
  "has_passphrase",
  "ttl",
  "created_at",
  "updated_at",
  "secret_expires_at",
  "expires_at",
  "received_at",
  "burned_at",
  "recipients",
  "share_domain",
] as const;
const luaList = (fields: readonly string[]) => fields.map((f) => `'${f}'`).join(", ");

// Take: hand the secret to one caller, delete it and mark its receipt received — one script.
const TAKE = `
local f = redis.call('HMGET', KEYS[1], ${luaList(SECRET_FIELDS)})
if not f[1] or tonumber(f[7]) <= tonumber(ARGV[1]) then return false end
redis.call('DEL', KEYS[1])
local st = redis.call('HGET', KEYS[2], 'state')
if st == 'new' or st == 'viewed' then
  redis.call('HSET', KEYS[2], 'state', 'received', 'received_at', ARGV[1], 'updated_at', ARGV[1])
end
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

// Fixed-window counter: a new window starts at 1 when the old one has ended (by `now`).
const HIT = `
local e = tonumber(redis.call('HGET', KEYS[1], 'expires_at') or '0')
if e <= tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'n', 1, 'expires_at', ARGV[2])
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
  return 1
end
return redis.call('HINCRBY', KEYS[1], 'n', 1)`;

// Owner list entry: add one receipt and drop entries whose receipts have expired.
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

const CREATE_ACCOUNT = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
return 1`;

const SET_TOKEN = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'token_hash', ARGV[1], 'wrapped_list_key', ARGV[2], 'updated_at', ARGV[3])
return 1`;

// Deletes the account and its list; returns the receipt ids it owned (false if none existed).
const DELETE_ACCOUNT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local owned = redis.call('ZRANGE', KEYS[2], 0, -1)
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return owned`;

// Purge one key if it is a row (a hash with expires_at) that has expired by ARGV[1].
const PURGE_ONE = `
local e = redis.call('HGET', KEYS[1], 'expires_at')
if not e or tonumber(e) > tonumber(ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

export interface RedisOptions {
  /** `redis://` or `rediss://` URL, with password and database when needed. */
  url?: string;
  /** Cluster seed nodes as `host:port`; when set, `url` only lends its credentials and TLS. */
  clusterNodes?: string[];
  /** Prefix of every key, so several deployments can share one Redis. */
  prefix?: string;
  onError?: (err: Error) => void;
}

type Reply = Buffer | null;
type Client = {
  evalSha(sha: string, options: { keys: string[]; arguments: (string | Buffer)[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: (string | Buffer)[] }): Promise<unknown>;
  hmGet(key: string, fields: string[]): Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: string, options: { PXAT: number }): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  multi(): {
    hSet(key: string, value: Record<string, string | Buffer>): unknown;
    pExpireAt(key: string, at: number): unknown;
    exec(): Promise<unknown>;
  };
  zRangeByScore(key: string, min: number | string, max: number | string): Promise<unknown>;
  zRem(key: string, member: string): Promise<unknown>;
  sMembers(key: string): Promise<unknown>;
};

export async function openRedisStore({
  url = "redis://127.0.0.1:6379",
  clusterNodes = [],
  prefix = "onetime",
  onError = () => {},
}: RedisOptions): Promise<Store> {
  // Commands fail at once while the connection is down (no offline queue), so a request answers
  // "unavailable" instead of hanging; the client reconnects by itself with a capped backoff. Before
  // the first connection, a few failed tries (unreachable host, wrong password) end start-up with
  // the error instead of waiting for ever.
  let connected = false;
  const socket = {
    reconnectStrategy: (retries: number, cause: Error) =>
      !connected && retries >= 3 ? cause : Math.min(100 * 2 ** retries, 2000),
    connectTimeout: 5000,
  };
  const base =
    clusterNodes.length > 0
      ? openCluster(url, clusterNodes, socket)
      : createClient({ url, socket, disableOfflineQueue: true });
  base.on("error", (err: Error) => onError(err));
  await base.connect();
  connected = true;
  const raw = base.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const c = raw as unknown as Client;
  let closed = false;

  const shas = new Map<string, string>();
  async function run(script: string, keys: string[], args: (string | Buffer | number)[]): Promise<unknown> {
    let sha = shas.get(script);
    if (sha === undefined) {
      sha = createHash("sha1").update(script).digest("hex");
      shas.set(script, sha);
    }
    const options = { keys, arguments: args.map((a) => (typeof a === "number" ? String(a) : a)) };
    try {
      return await c.evalSha(sha, options);
    } catch (err) {
      if (!String((err as Error).message).startsWith("NOSCRIPT")) throw err;
      return c.eval(script, options);
    }
  }

  async function guard<T>(fn: () => Promise<T>): Promise<T> {
    if (closed) throw new StoreUnavailableError(new Error("store closed"));
    try {
      return await fn();
    } catch (err) {
      throw new StoreUnavailableError(err);
    }
  }

  type ScanClient = ReturnType<typeof createClient>;
  async function scanTargets(): Promise<ScanClient[]> {
    if (clusterNodes.length === 0) return [base as ScanClient];
    const cluster = base as ReturnType<typeof createCluster>;
    return (await Promise.all(cluster.masters.map((m) => cluster.nodeClient(m)))) as unknown as ScanClient[];
  }

  const mail = redisMail(prefix, {
    run,
    hmGet: (key, fields) => c.hmGet(key, fields),
    get: (key) => c.get(key),
    multi: () => c.multi() as unknown as ReturnType<Parameters<typeof redisMail>[1]["multi"]>,
    zRem: (key, member) => c.zRem(key, member),
  });

  const auth = redisAuth(prefix, {
    run,
    hmGet: (key, fields) => c.hmGet(key, fields),
    del: (keys) => c.del(keys),
    sMembers: (key) => c.sMembers(key),
    multi: () => c.multi() as unknown as ReturnType<Parameters<typeof redisAuth>[1]["multi"]>,
  });

  async function secretIdOf(rid: string): Promise<string | null> {
    const sid = (await c.get(pointerKey(prefix, rid))) as Reply;
    return sid === null ? null : sid.toString();
  }

  async function readReceipt(rid: string, now: number): Promise<ReceiptRow | null> {
    const sid = await secretIdOf(rid);
    if (sid === null) return null;
    const receipt = toReceipt((await c.hmGet(receiptKey(prefix, sid), [...RECEIPT_FIELDS])) as Reply[]);
    return receipt !== null && receipt.expiresAt > now ? receipt : null;
  }

  async function deleteReceiptAndSecret(rid: string): Promise<void> {
    const sid = await secretIdOf(rid);
    if (sid !== null) await c.del([secretKey(prefix, sid), receiptKey(prefix, sid)]);
    await c.del([pointerKey(prefix, rid)]);
  }

  return {
    name: REDIS_STORE,
    expiresNatively: true,

    createSecret: (secret, receipt, owner) =>
      guard(async () => {
        const sKey = secretKey(prefix, secret.id);
        const rKey = receiptKey(prefix, secret.id);
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
          c.set(pointerKey(prefix, receipt.id), secret.id, { PXAT: receipt.expiresAt }),
        ]);
        if (owner !== null) {
          const a = owner.accountId;
          await run(
            OWN,
            [listKey(prefix, a), listSealedKey(prefix, a), listExpiryKey(prefix, a)],
            [receipt.createdAt, receipt.id, receipt.createdAt, receipt.expiresAt, owner.sealedMetadataKey],
          );
        }
      }),

    peekSecret: (id, now) =>
      guard(async () => {
        const fields = SECRET_FIELDS.filter((f) => f !== "ciphertext");
        const values = (await c.hmGet(secretKey(prefix, id), fields)) as Reply[];
        const row = Object.fromEntries(fields.map((f, i) => [f, values[i] ?? null])) as Record<string, Reply>;
        if (row.receipt_id === null || num(row.expires_at) <= now) return null;
        const { ciphertext: _omitted, ...header } = toSecret(id, { ...row, ciphertext: Buffer.alloc(0) });
        return header as SecretHeader;
      }),

    takeSecret: (id, now) =>
      guard(async () => {
        const reply = (await run(TAKE, [secretKey(prefix, id), receiptKey(prefix, id)], [now])) as
          | Reply[]
          | null;
        if (reply === null) return null;
        return toSecret(id, Object.fromEntries(SECRET_FIELDS.map((f, i) => [f, reply[i] ?? null])));
      }),

    getReceipt: (id, now) => guard(() => readReceipt(id, now)),

    transitionReceipt: (id, from, to, now) =>
      guard(async () => {
        const sid = await secretIdOf(id);
        if (sid === null) return null;
        const reply = (await run(TRANSITION, [receiptKey(prefix, sid)], [now, to, ...from])) as
          | Reply[]
          | null;
        return reply === null ? null : toReceipt(reply);
      }),

    burn: (receiptId, now) =>
      guard(async () => {
        const sid = await secretIdOf(receiptId);
        if (sid === null) return null;
        const reply = (await run(BURN, [secretKey(prefix, sid), receiptKey(prefix, sid)], [now])) as
          | Reply[]
          | null;
        return reply === null ? null : toReceipt(reply);
      }),

    listReceipts: (accountId, since, now) =>
      guard(async () => {
        const ids = ((await c.zRangeByScore(listKey(prefix, accountId), since, "+inf")) as Buffer[]).map(
          String,
        );
        if (ids.length === 0) return [];
        const sealed = (await c.hmGet(listSealedKey(prefix, accountId), ids)) as Reply[];
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

    createAccount: (account) =>
      guard(async () => {
        const fields = Object.entries(accountHash(account)).flat();
        return (await run(CREATE_ACCOUNT, [accountKey(prefix, account.id)], fields)) === 1;
      }),

    getAccount: (id) =>
      guard(async () => {
        const fields = ["email", "token_hash", "wrapped_list_key", "created_at", "updated_at"];
        const v = (await c.hmGet(accountKey(prefix, id), fields)) as Reply[];
        if (v[0] === null || v[0] === undefined) return null;
        const row: AccountRow = {
          id,
          email: v[0].toString(),
          tokenHash: v[1] ?? null,
          wrappedListKey: v[2] ?? null,
          createdAt: num(v[3] ?? null),
          updatedAt: num(v[4] ?? null),
        };
        return row;
      }),

    setAccountToken: (id, tokenHash, wrappedListKey, now) =>
      guard(
        async () => (await run(SET_TOKEN, [accountKey(prefix, id)], [tokenHash, wrappedListKey, now])) === 1,
      ),

    deleteAccount: (id) =>
      guard(async () => {
        const keys = [
          accountKey(prefix, id),
          listKey(prefix, id),
          listSealedKey(prefix, id),
          listExpiryKey(prefix, id),
        ];
        const owned = (await run(DELETE_ACCOUNT, keys, [])) as Buffer[] | null;
        if (owned === null) return false;
        // The receipts live on their secrets' slots: removed one by one after the account is gone.
        await Promise.all(owned.map((rid) => deleteReceiptAndSecret(rid.toString())));
        return true;
      }),

    hit: (key, windowMs, now) =>
      guard(async () => Number(await run(HIT, [counterKey(prefix, key)], [now, now + windowMs]))),

    peekCount: (key, now) =>
      guard(async () => {
        const [n, e] = (await c.hmGet(counterKey(prefix, key), ["n", "expires_at"])) as Reply[];
        return n != null && num(e ?? null) > now ? num(n) : 0;
      }),

    clearCount: (key) =>
      guard(async () => {
        await c.del([counterKey(prefix, key)]);
      }),

    // Redis expires rows by itself; this sweep exists for `onetime purge` and rows that a clock
    // ahead of Redis's already counts as expired. It scans this deployment's keys on every master.
    setCredentials: (row) => guard(() => auth.setCredentials(row)),
    getCredentials: (accountId) => guard(() => auth.getCredentials(accountId)),
    deleteCredentials: (accountId) => guard(() => auth.deleteCredentials(accountId)),
    createSession: (row) => guard(() => auth.createSession(row)),
    getSession: (id, now) => guard(() => auth.getSession(id, now)),
    deleteSession: (id) => guard(() => auth.deleteSession(id)),
    deleteSessions: (accountId) => guard(() => auth.deleteSessions(accountId)),
    createTicket: (row) => guard(() => auth.createTicket(row)),
    takeTicket: (id, now) => guard(() => auth.takeTicket(id, now)),
    enqueueMail: (row) => guard(() => mail.enqueue(row)),
    claimMail: (now, leaseMs) => guard(() => mail.claim(now, leaseMs)),
    settleMail: (id, outcome, now) => guard(() => mail.settle(id, outcome, now)),
    mailStatus: (receiptId, now) => guard(() => mail.status(receiptId, now)),

    purgeExpired: (now) =>
      guard(async () => {
        let purged = 0;
        const nodes = await scanTargets();
        for (const node of nodes) {
          for await (const batch of node.scanIterator({ MATCH: `${prefix}:*`, COUNT: 500 })) {
            const rows = (batch as string[]).filter((k) => /:(s|r)$|:c:\{/.test(k));
            const done = await Promise.all(rows.map((k) => run(PURGE_ONE, [k], [now])));
            purged += done.reduce((sum: number, d) => sum + Number(d), 0);
          }
        }
        return purged;
      }),

    ping: () =>
      guard(async () => {
        await c.get(`${prefix}:ping`);
      }),

    close: async () => {
      if (closed) return;
      closed = true;
      await base.close().catch(() => base.destroy());
    },
  };
}

// Cluster node clients are built from `defaults` plus each node's host and port. A `url` in the
// defaults would override that host and port (node-redis parses it last), sending every command to
// the first node and failing with MOVED; so the URL only lends its credentials and TLS.
function openCluster(
  url: string,
  nodes: string[],
  socket: { reconnectStrategy: (n: number, cause: Error) => number | Error; connectTimeout: number },
) {
  const u = new URL(url);
  const tls = u.protocol === "rediss:";
  return createCluster({
    rootNodes: nodes.map((n) => ({ url: `${u.protocol}//${n}` })),
    defaults: {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      socket: tls ? { ...socket, tls: true as const } : { ...socket, tls: false as const },
      disableOfflineQueue: true,
    },
  });
}

function num(v: Reply | undefined): number {
  return v === null || v === undefined ? 0 : Number(v.toString());
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function secretHash(s: SecretRow): Record<string, string | Buffer> {
  const h: Record<string, string | Buffer> = {
    receipt_id: s.receiptId,
    ciphertext: s.ciphertext,
    verifier: s.verifier,
    share_domain: s.shareDomain,
    created_at: String(s.createdAt),
    expires_at: String(s.expiresAt),
  };
  if (s.passphraseSalt !== null) h.passphrase_salt = s.passphraseSalt;
  return h;
}

function toSecret(id: string, f: Record<string, Reply>): SecretRow {
  return {
    id,
    receiptId: String(f.receipt_id),
    ciphertext: f.ciphertext ?? Buffer.alloc(0),
    verifier: f.verifier ?? Buffer.alloc(0),
    passphraseSalt: f.passphrase_salt ?? null,
    shareDomain: f.share_domain?.toString() ?? "",
    createdAt: num(f.created_at ?? null),
    expiresAt: num(f.expires_at ?? null),
  };
}

function receiptHash(r: ReceiptRow): Record<string, string | Buffer> {
  const h: Record<string, string | Buffer> = {
    id: r.id,
    secret_id: r.secretId,
    sealed_secret_key: r.sealedSecretKey,
    state: r.state,
    kind: r.kind,
    has_passphrase: r.hasPassphrase ? "1" : "0",
    ttl: String(r.ttl),
    created_at: String(r.createdAt),
    updated_at: String(r.updatedAt),
    secret_expires_at: String(r.secretExpiresAt),
    expires_at: String(r.expiresAt),
    recipients: JSON.stringify(r.recipients),
    share_domain: r.shareDomain,
  };
  if (r.owner !== null) h.owner = r.owner;
  if (r.receivedAt !== null) h.received_at = String(r.receivedAt);
  if (r.burnedAt !== null) h.burned_at = String(r.burnedAt);
  return h;
}

function toReceipt(values: Reply[]): ReceiptRow | null {
  const f = Object.fromEntries(RECEIPT_FIELDS.map((name, i) => [name, values[i] ?? null])) as Record<
    (typeof RECEIPT_FIELDS)[number],
    Reply
  >;
  if (f.id === null || f.state === null) return null;
  const optional = (v: Reply) => (v === null ? null : num(v));
  return {
    id: f.id.toString(),
    secretId: String(f.secret_id),
    sealedSecretKey: f.sealed_secret_key ?? Buffer.alloc(0),
    owner: f.owner?.toString() ?? null,
    state: f.state.toString() as ReceiptState,
    kind: f.kind?.toString() === "generate" ? "generate" : "conceal",
    hasPassphrase: f.has_passphrase?.toString() === "1",
    ttl: num(f.ttl),
    createdAt: num(f.created_at),
    updatedAt: num(f.updated_at),
    secretExpiresAt: num(f.secret_expires_at),
    expiresAt: num(f.expires_at),
    receivedAt: optional(f.received_at),
    burnedAt: optional(f.burned_at),
    recipients: JSON.parse(f.recipients?.toString() ?? "[]") as string[],
    shareDomain: f.share_domain?.toString() ?? "",
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
