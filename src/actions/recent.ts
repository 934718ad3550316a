import { AppError } from "../domain/errors.js";
import { listedState, type ReceiptView, receiptView } from "../domain/receipt.js";
import type { Caller, Deps } from "./deps.js";
import { limit } from "./rate-limit.js";

export const RECENT_DAYS = 30;

/**
 * The caller's receipts of the last 30 days, newest first. Each metadata key is opened with the
 * account's list key (unwrapped by the caller's API token); entries made under a token that has
 * since been replaced can no longer be opened and are left out. `withMail` adds each recipient
 * email's delivery state.
 */
export async function recent(
  deps: Deps,
  caller: Caller,
  { withMail = false }: { withMail?: boolean } = {},
): Promise<ReceiptView[]> {
  const account = caller.account;
  if (account === null) throw new AppError("not_authorized");
  await limit(deps, caller, "metadata");
  const now = deps.now();
  const listKey = account.listKey;
  if (listKey === null) return [];
  const owned = await deps.store.secrets.listReceipts(account.id, now - RECENT_DAYS * 86400_000, now);
  const views: ReceiptView[] = [];
  for (const { receipt, sealedMetadataKey } of owned) {
    const metadataKey = deps.vault.openMetadataKey(listKey, receipt.id, sealedMetadataKey);
    if (metadataKey === null) continue;
    const state = listedState(receipt.state, receipt.secretExpiresAt, now);
    const view = receiptView({ ...receipt, state }, metadataKey, null);
    // Where the recipient's email is: one read per receipt, so only for the dashboard (v1 has no field for it).
    if (withMail && receipt.recipients.length > 0)
      view.mail = await deps.store.outbox.status(receipt.id, now);
    views.push(view);
  }
  return views;
}
