import { newToken } from "../crypto/ids.js";
import { AppError } from "../domain/errors.js";
import type { AccountsDeps } from "./accounts.js";
import { audit, SYSTEM } from "./audit.js";
import { locateAccount } from "./keyring.js";

/**
 * Replaces the account's API token; the old one fails at once. The receipt list key is wrapped by
 * the token, which the server does not keep, so a new token starts a new list: receipts made under
 * the old token stay reachable by their metadata keys but leave `recent`. The command line is the
 * actor in the audit log.
 */
export async function issueToken(deps: AccountsDeps, email: string): Promise<string> {
  // An account made under a previous SECRET keeps that generation's id and token key.
  const found = await locateAccount(deps, email.trim());
  if (found === null) throw new AppError("no_account", { email });
  const { vault, account } = found;
  const token = newToken();
  const wrapped = vault.wrapListKey(token, account.id, vault.newListKey());
  const done = await deps.store.accounts.setToken(account.id, vault.tokenHash(token), wrapped, deps.now());
  if (!done) throw new AppError("no_account", { email });
  await audit(deps, null, { action: "token_created", actor: SYSTEM, target: account.email, detail: "cli" });
  return token;
}
