import { openForSession } from "../crypto/list-key.js";
import type { Account, Deps } from "./deps.js";
import { sessionId } from "./session.js";

export interface SessionAccount extends Account {
  sessionId: string;
  locale: string | null;
  /** When this session began: its sign-in (the admin pages ask for a recent one). */
  signedInAt: number;
  /** The groups claim of a single sign-on (OIDC_ADMIN_GROUP makes an admin); empty for a password one. */
  groups: string[];
  /** Whether the account has a web password (credentials); a single-sign-on-only one has none. */
  hasPassword: boolean;
}

/**
 * The signed-in account of a session token; null when the token is unknown, expired or malformed,
 * or its account was disabled (every session of a disabled account stops at once).
 */
export async function sessionAccount(deps: Deps, token: string | undefined): Promise<SessionAccount | null> {
  const id = sessionId(deps, token);
  if (token === undefined || id === null) return null;
  const session = await deps.store.accounts.getSession(id, deps.now());
  if (session === null) return null;
  const account = await deps.store.accounts.get(session.accountId);
  if (account === null || account.disabledAt !== null) return null;
  const creds = await deps.store.accounts.getCredentials(account.id);
  const listKey = session.sealedListKey === null ? null : openForSession(token, id, session.sealedListKey);
  return {
    id: account.id,
    email: account.email,
    listKey,
    locale: creds?.locale ?? null,
    sessionId: id,
    signedInAt: session.createdAt,
    groups: session.groups ?? [],
    hasPassword: creds !== null,
  };
}
