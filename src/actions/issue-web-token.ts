import { newToken } from "../crypto/ids.js";
import type { Deps } from "./deps.js";
import type { SessionAccount } from "./session-account.js";

/**
 * A new API token from the account page, shown once: the old one fails at once. The token wraps
 * the same list key as the session, so secrets made with it show on the dashboard and the other
 * way round.
 */
export async function issueWebToken(deps: Deps, account: SessionAccount): Promise<string> {
  const token = newToken();
  const listKey = account.listKey ?? deps.vault.newListKey();
  const wrapped = deps.vault.wrapListKey(token, account.id, listKey);
  await deps.store.accounts.setToken(account.id, deps.vault.tokenHash(token), wrapped, deps.now());
  return token;
}
