import { open } from "../crypto/aead.js";
import { newToken } from "../crypto/ids.js";
import type { Deps } from "./deps.js";
import {
  checkCredentials,
  checkPassword,
  newCredentials,
  type SessionAccount,
  startSession,
} from "./web-session.js";

// What a signed-in user changes on the account page. Every change that could lock the owner out
// (password, deletion) asks for the current password first.

/**
 * A new API token, shown once: the old one fails at once. The token wraps the same list key as the
 * session, so secrets made with it show on the dashboard and the other way round.
 */
export async function issueWebToken(deps: Deps, account: SessionAccount): Promise<string> {
  const token = newToken();
  const listKey = account.listKey ?? deps.vault.newListKey();
  const wrapped = deps.vault.wrapListKey(token, account.id, listKey);
  await deps.store.accounts.setToken(account.id, deps.vault.tokenHash(token), wrapped, deps.now());
  return token;
}

/** Changes the password, keeping the list; signs out every other session; returns the new session token. */
export async function changePassword(
  deps: Deps,
  account: SessionAccount,
  input: { current: string; next: string },
): Promise<string> {
  checkPassword(deps, input.next);
  const creds = await deps.store.accounts.getCredentials(account.id);
  const keys = await checkCredentials(deps, deps.vault.subject(account.email), creds, input.current);
  if (creds === null) throw new Error("checked credentials vanished");
  const listKey =
    account.listKey ??
    (creds.wrappedListKey === null ? null : open(keys.wrapKey, creds.wrappedListKey, `list:${account.id}`));
  const row = await newCredentials(deps, account.id, input.next, {
    listKey,
    verifiedAt: creds.verifiedAt,
    locale: creds.locale,
  });
  await deps.store.accounts.setCredentials(row);
  await deps.store.accounts.deleteSessions(account.id);
  return startSession(deps, account.id, listKey);
}

export async function setAccountLocale(
  deps: Deps,
  account: SessionAccount,
  locale: string | null,
): Promise<void> {
  const creds = await deps.store.accounts.getCredentials(account.id);
  if (creds !== null) await deps.store.accounts.setCredentials({ ...creds, locale, updatedAt: deps.now() });
}

/** Deletes the account, its receipts with their secrets, its credentials and every session: all or nothing. */
export async function deleteWebAccount(deps: Deps, account: SessionAccount, password: string): Promise<void> {
  const creds = await deps.store.accounts.getCredentials(account.id);
  await checkCredentials(deps, deps.vault.subject(account.email), creds, password);
  await deps.store.accounts.delete(account.id);
}
