import type { AccountStore, TicketPurpose } from "../ports/accounts.js";
import type { RedisConnection } from "./connection.js";
import type { RedisKeys } from "./keys.js";
import { text } from "./records.js";

// Web sessions and one-time tickets in Redis, the sign-in half of the accounts port. Each session and
// each ticket is a hash under its own tag with a native expiry; an account's session ids are kept in a
// set next to the account, so "sign out everywhere" (and the account's deletion) can find them.
// Taking a ticket is one script: read and delete.

const SESSION_FIELDS = ["account_id", "sealed_list_key", "created_at", "expires_at", "groups"];

const TAKE_TICKET = `
local t = redis.call('HMGET', KEYS[1], 'purpose', 'account_id', 'expires_at')
if not t[1] then return false end
redis.call('DEL', KEYS[1])
if tonumber(t[3]) <= tonumber(ARGV[1]) then return false end
return t`;

type SessionMethods = "createSession" | "getSession" | "deleteSession" | "deleteSessions";
type TicketMethods = "createTicket" | "takeTicket" | "deleteTickets";

export function redisSessions(
  { client: c, run, guard }: RedisConnection,
  keys: RedisKeys,
): Pick<AccountStore, SessionMethods | TicketMethods> {
  return {
    createSession: (row) =>
      guard(async () => {
        const m = c.multi();
        m.hSet(keys.session(row.id), {
          account_id: row.accountId,
          sealed_list_key: row.sealedListKey ?? "",
          created_at: String(row.createdAt),
          expires_at: String(row.expiresAt),
          // A single sign-on's groups claim, as JSON; "" for a password sign-in.
          groups: row.groups === undefined || row.groups.length === 0 ? "" : JSON.stringify(row.groups),
        });
        m.pExpireAt(keys.session(row.id), row.expiresAt);
        await m.exec();
        // The set of an account's sessions lives as long as its newest session.
        const set = c.multi();
        set.sAdd(keys.sessionSet(row.accountId), row.id);
        set.pExpireAt(keys.sessionSet(row.accountId), row.expiresAt);
        await set.exec();
      }),

    getSession: (id, now) =>
      guard(async () => {
        const [accountId, sealed, createdAt, expiresAt, groups] = await c.hmGet(
          keys.session(id),
          SESSION_FIELDS,
        );
        if (accountId === null || accountId === undefined || Number(text(expiresAt)) <= now) return null;
        return {
          id,
          accountId: accountId.toString(),
          sealedListKey: sealed === null || sealed === undefined || sealed.length === 0 ? null : sealed,
          createdAt: Number(text(createdAt)),
          expiresAt: Number(text(expiresAt)),
          ...(groups == null || groups.length === 0 ? {} : { groups: JSON.parse(text(groups)) as string[] }),
        };
      }),

    deleteSession: (id) =>
      guard(async () => {
        await c.del([keys.session(id)]);
      }),

    deleteSessions: (accountId) =>
      guard(async () => {
        const ids = (await c.sMembers(keys.sessionSet(accountId))).map(String);
        // Session keys sit on their own slots: one DEL each (a Cluster rejects multi-slot DELs).
        for (const id of ids) await c.del([keys.session(id)]);
        await c.del([keys.sessionSet(accountId)]);
      }),

    createTicket: (row) =>
      guard(async () => {
        const m = c.multi();
        m.hSet(keys.ticket(row.id), {
          purpose: row.purpose,
          account_id: row.accountId,
          expires_at: String(row.expiresAt),
        });
        m.pExpireAt(keys.ticket(row.id), row.expiresAt);
        await m.exec();
        // The account's set of tickets of this purpose lives as long as its newest ticket.
        const set = c.multi();
        set.sAdd(keys.ticketSet(row.accountId, row.purpose), row.id);
        set.pExpireAt(keys.ticketSet(row.accountId, row.purpose), row.expiresAt);
        await set.exec();
      }),

    takeTicket: (id, now) =>
      guard(async () => {
        const reply = (await run(TAKE_TICKET, [keys.ticket(id)], [now])) as (Buffer | null)[] | null;
        if (reply === null) return null;
        const [purpose, accountId, expiresAt] = reply;
        return {
          id,
          purpose: text(purpose) as TicketPurpose,
          accountId: text(accountId),
          expiresAt: Number(text(expiresAt)),
        };
      }),

    deleteTickets: (accountId, purpose) =>
      guard(async () => {
        const set = keys.ticketSet(accountId, purpose);
        // Ticket keys sit on their own slots: one DEL each. A ticket added meanwhile stays in the set.
        for (const id of (await c.sMembers(set)).map(String)) {
          await c.del([keys.ticket(id)]);
          await c.sRem(set, id);
        }
      }),
  };
}
