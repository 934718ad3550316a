import { AppError } from "../domain/errors.js";
import { normalizeEmail } from "./accounts.js";
import { checkFreshSignIn } from "./admins.js";
import { audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import { vaultOf } from "./keyring.js";
import { checkCredentials } from "./password.js";
import type { SessionAccount } from "./session-account.js";

/** What confirms a deletion: the password, or (an account without one) the address typed out. */
export interface DeleteConfirmation {
  password: string;
  address: string;
}

/**
 * Deletes the account from its page: its receipts with their secrets, its credentials and every
 * session, all or nothing (one store operation). An account with a password confirms with it
 * (wrong_password); one without (single sign-on only) types its address (wrong_confirmation) from a
 * sign-in of the last ADMIN_SIGNIN_MAX_AGE seconds (stale_signin), as admin changes need.
 */
export async function deleteWebAccount(
  deps: Deps,
  caller: Pick<Caller, "ip">,
  account: SessionAccount,
  confirm: DeleteConfirmation,
): Promise<void> {
  const creds = await deps.store.accounts.getCredentials(account.id);
  if (creds === null) {
    if (normalizeEmail(confirm.address) !== account.email) throw new AppError("wrong_confirmation");
    checkFreshSignIn(deps, account);
  } else {
    const vault = await vaultOf(deps, account.email);
    const who = deps.vault.subject(account.email);
    const opened = await checkCredentials(deps, who, vault, who, creds, confirm.password);
    if (opened === null) throw new AppError("wrong_password");
  }
  if (!(await deps.store.accounts.delete(account.id))) return;
  // An account's id follows from its address: a new account at it must not find these endpoints.
  await deps.store.webhooks.removeAccount(account.id);
  await audit(deps, caller, {
    action: "account_deleted",
    actor: account.email,
    target: account.email,
    detail: "web",
  });
}
