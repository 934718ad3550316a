import { AppError } from "../domain/errors.js";
import { audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import { vaultOf } from "./keyring.js";
import { checkCredentials, checkPassword, endOldAccess, newCredentials } from "./password.js";
import { startSession } from "./session.js";
import type { SessionAccount } from "./session-account.js";

/**
 * Changes the password, asking for the current one first, and keeps the list under a new list key;
 * signs out every other session and revokes the API token (endOldAccess); returns the new session
 * token. The new list key means that whoever held the old one (an old token, with an old copy of
 * the database) opens nothing listed after the change.
 */
export async function changePassword(
  deps: Deps,
  caller: Pick<Caller, "ip">,
  account: SessionAccount,
  input: { current: string; next: string },
): Promise<string> {
  checkPassword(deps, input.next);
  const vault = await vaultOf(deps, account.email);
  const creds = await deps.store.accounts.getCredentials(account.id);
  // The account is the queue's client here: it is signed in, and its checks are its own.
  const who = deps.vault.subject(account.email);
  const opened = await checkCredentials(deps, who, vault, who, creds, input.current);
  if (opened === null || creds === null) throw new AppError("wrong_password");
  const listKey = await moveList(deps, account.id, account.listKey ?? opened.listKey);
  const row = await newCredentials(deps, who, vault, account.id, input.next, {
    listKey,
    verifiedAt: creds.verifiedAt,
    locale: creds.locale,
  });
  await deps.store.accounts.setCredentials(row);
  const revoked = await endOldAccess(deps, account.id);
  const self = { actor: account.email, target: account.email };
  await audit(deps, caller, { action: "password_changed", ...self });
  if (revoked) await audit(deps, caller, { action: "token_revoked", ...self, detail: "password_changed" });
  return startSession(deps, account.id, listKey);
}

/** Reseals the account's list under a new list key and returns it; entries that do not open are left. */
async function moveList(deps: Deps, accountId: string, oldKey: Buffer | null): Promise<Buffer> {
  const newKey = deps.vault.newListKey();
  if (oldKey === null) return newKey;
  const entries = [];
  for (const { receipt, sealedMetadataKey } of await deps.store.secrets.listReceipts(
    accountId,
    0,
    deps.now(),
  )) {
    const metadataKey = deps.vault.openMetadataKey(oldKey, receipt.id, sealedMetadataKey);
    if (metadataKey === null) continue;
    entries.push({
      receiptId: receipt.id,
      sealedMetadataKey: deps.vault.sealMetadataKey(newKey, receipt.id, metadataKey),
    });
  }
  await deps.store.secrets.resealList(accountId, entries);
  return newKey;
}
