import { newToken } from "../crypto/ids.js";
import { audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import type { SessionAccount } from "./session-account.js";

/**
 * A new API token from the account page, shown once: the old one fails at once. The token wraps
 * the same list key as the session, so secrets made with it show on the dashboard and the other
 * way round.
 */
export async function issueWebToken(
  deps: Deps,
  caller: Pick<Caller, "ip">,
  account: SessionAccount,
): Promise<string> {
  const token = newToken();
  const listKey = account.listKey ?? deps.vault.newListKey();
  const wrapped = deps.vault.wrapListKey(token, account.id, listKey);
  await deps.store.accounts.setToken(account.id, deps.vault.tokenHash(token), wrapped, deps.now());
  await audit(deps, caller, {
    action: "token_created",
    actor: account.email,
    target: account.email,
    detail: "web",
  });
  return token;
}
