import { openWithPassword } from "../crypto/list-key.js";
import { AppError } from "../domain/errors.js";
import type { Deps } from "./deps.js";
import { checkCredentials, checkPassword, endOldAccess, newCredentials } from "./password.js";
import { startSession } from "./session.js";
import type { SessionAccount } from "./session-account.js";

/**
 * Changes the password, asking for the current one first, and keeps the list; signs out every
 * other session and revokes the API token (endOldAccess); returns the new session token.
 */
export async function changePassword(
  deps: Deps,
  account: SessionAccount,
  input: { current: string; next: string },
): Promise<string> {
  checkPassword(deps, input.next);
  const creds = await deps.store.accounts.getCredentials(account.id);
  const keys = await checkCredentials(deps, deps.vault.subject(account.email), creds, input.current);
  if (keys === null || creds === null) throw new AppError("wrong_password");
  const listKey =
    account.listKey ??
    (creds.wrappedListKey === null ? null : openWithPassword(keys.wrapKey, account.id, creds.wrappedListKey));
  const row = await newCredentials(deps, account.id, input.next, {
    listKey,
    verifiedAt: creds.verifiedAt,
    locale: creds.locale,
  });
  await deps.store.accounts.setCredentials(row);
  await endOldAccess(deps, account.id);
  return startSession(deps, account.id, listKey);
}
