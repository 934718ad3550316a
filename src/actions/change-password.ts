import { AppError } from "../domain/errors.js";
import type { Deps } from "./deps.js";
import { vaultOf } from "./keyring.js";
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
  const vault = await vaultOf(deps, account.email);
  const creds = await deps.store.accounts.getCredentials(account.id);
  const opened = await checkCredentials(deps, vault, deps.vault.subject(account.email), creds, input.current);
  if (opened === null || creds === null) throw new AppError("wrong_password");
  const listKey = account.listKey ?? opened.listKey;
  const row = await newCredentials(deps, vault, account.id, input.next, {
    listKey,
    verifiedAt: creds.verifiedAt,
    locale: creds.locale,
  });
  await deps.store.accounts.setCredentials(row);
  await endOldAccess(deps, account.id);
  return startSession(deps, account.id, listKey);
}
