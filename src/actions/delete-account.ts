import { AppError } from "../domain/errors.js";
import type { AccountsDeps } from "./accounts.js";
import { audit, SYSTEM } from "./audit.js";
import { locateAccount } from "./keyring.js";

/** Deletes an account by its address (command line), all or nothing in one store operation. */
export async function deleteAccount(deps: AccountsDeps, email: string): Promise<void> {
  const found = await locateAccount(deps, email.trim());
  const done = found !== null && (await deps.store.accounts.delete(found.account.id));
  if (!done) throw new AppError("no_account", { email });
  // An account's id follows from its address: a new account at it must not find these endpoints.
  await deps.store.webhooks.removeAccount(found.account.id);
  await audit(deps, null, {
    action: "account_deleted",
    actor: SYSTEM,
    target: found.account.email,
    detail: "cli",
  });
}
