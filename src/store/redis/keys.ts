// The key layout, in one place because an account's deletion reaches the keys of every kind.
//
// The keys of one secret share the hash tag {<secret id>}, so the secret and its receipt live on one
// Cluster slot and every change to both is one Lua script. A metadata key reaches its receipt
// through an immutable pointer {<receipt id>}:p → secret id. An account's keys share {a:<account id>}:
// the account, its list, its credentials and the set of its session ids. Each session and each
// ticket has its own tag; the outbox shares {m}, the audit log {audit}, webhooks {w}. Every row carries a native
// expiry (PEXPIREAT) for cleanup, and every read also compares the stored expires_at with `now`, so
// expired rows read as absent at once. Every key starts with the deployment's prefix.

export function redisKeys(p: string) {
  return {
    secret: (sid: string) => `${p}:{${sid}}:s`,
    receipt: (sid: string) => `${p}:{${sid}}:r`,
    pointer: (rid: string) => `${p}:{${rid}}:p`,
    account: (aid: string) => `${p}:{a:${aid}}:a`,
    /** Sorted set: receipt id → created_at. */
    list: (aid: string) => `${p}:{a:${aid}}:l`,
    /** Hash: receipt id → the metadata key sealed under the list key. */
    listSealed: (aid: string) => `${p}:{a:${aid}}:k`,
    /** Sorted set: receipt id → the receipt's expires_at, to drop expired entries. */
    listExpiry: (aid: string) => `${p}:{a:${aid}}:x`,
    credentials: (aid: string) => `${p}:{a:${aid}}:cr`,
    /** Token hash (hex) → account id: a hint, checked against the account's own token_hash. */
    token: (hash: string) => `${p}:{tk:${hash}}:t`,
    /** Set of the account's session ids. */
    sessionSet: (aid: string) => `${p}:{a:${aid}}:ss`,
    session: (id: string) => `${p}:{s:${id}}:s`,
    ticket: (id: string) => `${p}:{t:${id}}:t`,
    /** Set of the account's ticket ids for one purpose (all of one lifetime, so the newest outlives them). */
    ticketSet: (aid: string, purpose: string) => `${p}:{a:${aid}}:t:${purpose}`,
    counter: (key: string) => `${p}:c:{${key}}`,
    mailDue: `${p}:{m}:due`,
    /** Sorted set: secret id → when its receipt's expiry notice falls due (redis/secrets.ts). */
    expiryNotices: `${p}:{n}:due`,
    mail: (id: string) => `${p}:{m}:q:${id}`,
    receiptMail: (rid: string) => `${p}:{m}:r:${rid}`,
    /** A secret request with its answers (redis/requests.ts). */
    request: (qid: string) => `${p}:{q:${qid}}:q`,
    /** Sorted set: the account's request ids → created_at; hash: request id → sealed manage key. */
    requestList: (aid: string) => `${p}:{a:${aid}}:rq`,
    requestSealed: (aid: string) => `${p}:{a:${aid}}:rk`,
    /** The audit log (redis/audit.ts): ids in time order, ids by expiry, the entries. */
    auditIds: `${p}:{audit}:i`,
    auditExpiry: `${p}:{audit}:x`,
    auditRows: `${p}:{audit}:e`,
    /** Webhooks (redis/webhooks.ts), all on the slot of {w}: an endpoint, an account's endpoint ids. */
    webhookEndpoint: (id: string) => `${p}:{w}:e:${id}`,
    webhookAccount: (aid: string) => `${p}:{w}:a:${aid}`,
    /** A delivery, the queued ones by due time, and an endpoint's deliveries by creation (its log). */
    webhookDelivery: (id: string) => `${p}:{w}:d:${id}`,
    webhookDue: `${p}:{w}:due`,
    webhookLog: (eid: string) => `${p}:{w}:l:${eid}`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
