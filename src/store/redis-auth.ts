import type { CredentialsRow, SessionRow, TicketPurpose, TicketRow } from "./types.js";

// Web sign-in in Redis. Credentials live with the account ({a:<id>}); each session and each ticket
// is a hash under its own tag with a native expiry; an account's session ids are kept in a set next
// to it, so "sign out everywhere" can find them. Taking a ticket is one script: read and delete.

type Reply = Buffer | null;

export interface AuthClient {
  run(script: string, keys: string[], args: (string | Buffer | number)[]): Promise<unknown>;
  hmGet(key: string, fields: string[]): Promise<unknown>;
  del(keys: string[]): Promise<unknown>;
  sMembers(key: string): Promise<unknown>;
  multi(): {
    hSet(key: string, value: Record<string, string | Buffer>): unknown;
    pExpireAt(key: string, at: number): unknown;
    sAdd(key: string, member: string): unknown;
    exec(): Promise<unknown>;
  };
}

const CREDENTIAL_FIELDS = ["salt", "verifier", "wrapped_list_key", "verified_at", "locale", "updated_at"];
const SESSION_FIELDS = ["account_id", "sealed_list_key", "created_at", "expires_at"];

const TAKE_TICKET = `
local t = redis.call('HMGET', KEYS[1], 'purpose', 'account_id', 'expires_at')
if not t[1] then return false end
redis.call('DEL', KEYS[1])
if tonumber(t[3]) <= tonumber(ARGV[1]) then return false end
return t`;

export function redisAuth(prefix: string, c: AuthClient) {
  const credentialsKey = (aid: string) => `${prefix}:{a:${aid}}:cr`;
  const sessionSetKey = (aid: string) => `${prefix}:{a:${aid}}:ss`;
  const sessionKey = (sid: string) => `${prefix}:{s:${sid}}:s`;
  const ticketKey = (tid: string) => `${prefix}:{t:${tid}}:t`;

  return {
    async setCredentials(row: CredentialsRow): Promise<void> {
      const m = c.multi();
      m.hSet(credentialsKey(row.accountId), {
        salt: row.salt,
        verifier: row.verifier,
        wrapped_list_key: row.wrappedListKey ?? "",
        verified_at: row.verifiedAt === null ? "" : String(row.verifiedAt),
        locale: row.locale ?? "",
        updated_at: String(row.updatedAt),
      });
      await m.exec();
    },
    async getCredentials(accountId: string): Promise<CredentialsRow | null> {
      const f = (await c.hmGet(credentialsKey(accountId), CREDENTIAL_FIELDS)) as Reply[];
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
    },
    async deleteCredentials(accountId: string): Promise<void> {
      await c.del([credentialsKey(accountId)]);
    },
    async createSession(row: SessionRow): Promise<void> {
      const m = c.multi();
      m.hSet(sessionKey(row.id), {
        account_id: row.accountId,
        sealed_list_key: row.sealedListKey ?? "",
        created_at: String(row.createdAt),
        expires_at: String(row.expiresAt),
      });
      m.pExpireAt(sessionKey(row.id), row.expiresAt);
      await m.exec();
      // The set of an account's sessions lives as long as its newest session.
      const set = c.multi();
      set.sAdd(sessionSetKey(row.accountId), row.id);
      set.pExpireAt(sessionSetKey(row.accountId), row.expiresAt);
      await set.exec();
    },
    async getSession(id: string, now: number): Promise<SessionRow | null> {
      const [accountId, sealed, createdAt, expiresAt] = (await c.hmGet(
        sessionKey(id),
        SESSION_FIELDS,
      )) as Reply[];
      if (accountId === null || accountId === undefined || Number(text(expiresAt)) <= now) return null;
      return {
        id,
        accountId: accountId.toString(),
        sealedListKey: sealed === null || sealed === undefined || sealed.length === 0 ? null : sealed,
        createdAt: Number(text(createdAt)),
        expiresAt: Number(text(expiresAt)),
      };
    },
    async deleteSession(id: string): Promise<void> {
      await c.del([sessionKey(id)]);
    },
    async deleteSessions(accountId: string): Promise<void> {
      const ids = ((await c.sMembers(sessionSetKey(accountId))) as Buffer[]).map((b) => b.toString());
      // Session keys sit on their own slots: one DEL each (a Cluster rejects multi-slot DELs).
      for (const id of ids) await c.del([sessionKey(id)]);
      await c.del([sessionSetKey(accountId)]);
    },
    async createTicket(row: TicketRow): Promise<void> {
      const m = c.multi();
      m.hSet(ticketKey(row.id), {
        purpose: row.purpose,
        account_id: row.accountId,
        expires_at: String(row.expiresAt),
      });
      m.pExpireAt(ticketKey(row.id), row.expiresAt);
      await m.exec();
    },
    async takeTicket(id: string, now: number): Promise<TicketRow | null> {
      const reply = (await c.run(TAKE_TICKET, [ticketKey(id)], [now])) as Reply[] | null;
      if (reply === null) return null;
      const [purpose, accountId, expiresAt] = reply;
      return {
        id,
        purpose: text(purpose) as TicketPurpose,
        accountId: text(accountId),
        expiresAt: Number(text(expiresAt)),
      };
    },
  };
}

function text(v: Reply | undefined): string {
  return v === null || v === undefined ? "" : v.toString();
}
