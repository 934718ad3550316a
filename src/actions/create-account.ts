import { AppError } from "../domain/errors.js";
import { type AccountsDeps, newAccountRow, normalizeEmail } from "./accounts.js";
import { audit, SYSTEM } from "./audit.js";
import { issueToken } from "./issue-token.js";
import { locateAccount } from "./keyring.js";

/** Creates an account and returns its first API token (256 bits; only its HMAC is stored). */
export async function createAccount(deps: AccountsDeps, email: string): Promise<string> {
  const address = normalizeEmail(email);
  if (address === null) throw new AppError("bad_email", { email });
  if ((await locateAccount(deps, address)) !== null) {
    throw new AppError("account_exists", { address });
  }
  const id = deps.vault.accountId(address);
  const now = deps.now();
  const created = await deps.store.accounts.create(newAccountRow(id, address, now));
  if (!created) throw new AppError("account_exists", { address });
  await audit(deps, null, { action: "account_created", actor: SYSTEM, target: address, detail: "cli" });
  return issueToken(deps, address);
}
