import { openForSession } from "../crypto/list-key.js";
import type { Account, Deps } from "./deps.js";
import { sessionId } from "./session.js";

export interface SessionAccount extends Account {
  sessionId: string;
  locale: string | null;
}

/** The signed-in account of a session token; null when the token is unknown, expired or malformed. */
export async function sessionAccount(deps: Deps, token: string | undefined): Promise<SessionAccount | null> {
  const id = sessionId(deps, token);
  if (token === undefined || id === null) return null;
  const session = await deps.store.accounts.getSession(id, deps.now());
  if (session === null) return null;
  const account = await deps.store.accounts.get(session.accountId);
  if (account === null) return null;
  const creds = await deps.store.accounts.getCredentials(account.id);
  const listKey = session.sealedListKey === null ? null : openForSession(token, id, session.sealedListKey);
  return { id: account.id, email: account.email, listKey, locale: creds?.locale ?? null, sessionId: id };
}
