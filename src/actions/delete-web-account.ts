import { AppError } from "../domain/errors.js";
import { audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import { vaultOf } from "./keyring.js";
import { checkCredentials } from "./password.js";
import type { SessionAccount } from "./session-account.js";

/**
 * Deletes the account from its page, asking for the current password first: its receipts with
 * their secrets, its credentials and every session, all or nothing (one store operation).
 */
export async function deleteWebAccount(
  deps: Deps,
  caller: Pick<Caller, "ip">,
  account: SessionAccount,
  password: string,
): Promise<void> {
  const creds = await deps.store.accounts.getCredentials(account.id);
  const vault = await vaultOf(deps, account.email);
  const who = deps.vault.subject(account.email);
  const opened = await checkCredentials(deps, who, vault, who, creds, password);
  if (opened === null) throw new AppError("wrong_password");
  if (!(await deps.store.accounts.delete(account.id))) return;
  await audit(deps, caller, {
    action: "account_deleted",
    actor: account.email,
    target: account.email,
    detail: "web",
  });
}
