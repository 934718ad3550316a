import { isWellFormedKey } from "../crypto/ids.js";
import type { Vault } from "../crypto/vault.js";
import { AppError } from "../domain/errors.js";
import { isLive, LIVE_STATES, type ReceiptView, receiptView, stateAfterLook } from "../domain/receipt.js";
import type { ReceiptRow } from "../store/types.js";
import type { Caller, Deps } from "./deps.js";
import { locateReceipt } from "./keyring.js";
import { limit } from "./rate-limit.js";

/**
 * Show a receipt (the v1 "metadata"). The metadata key is the capability: no ownership check.
 * The first read of a `new` receipt makes it `viewed`; a live receipt whose secret has gone
 * becomes `expired` (its TTL passed) or `orphaned`. Never returns the plaintext.
 */
export async function showReceipt(deps: Deps, caller: Caller, metadataKey: string): Promise<ReceiptView> {
  await limit(deps, caller, "metadata");
  const found = await findReceipt(deps, metadataKey);
  let receipt = found.receipt;
  const now = deps.now();
  if (isLive(receipt.state)) {
    const secretExists = (await deps.store.secrets.peek(receipt.secretId, now)) !== null;
    const to = stateAfterLook(secretExists, receipt.secretExpiresAt, now);
    if (to !== receipt.state) {
      // A racing reveal or burn may have settled it meanwhile: report what the store holds now
      // (or, should the receipt be gone, what this look found).
      receipt = (await deps.store.secrets.transitionReceipt(receipt.id, LIVE_STATES, to, now)) ?? {
        ...receipt,
        state: to,
      };
      if (to === "expired" && receipt.state === "expired") {
        deps.metrics?.expired();
        deps.daily.count("expired", now);
      }
    }
  }
  // Still live after the look means the secret is there: its key is shown to share. A sealed key
  // that does not open here (moved from another receipt, damaged) is never shown: the view stays
  // live with no key, which v1 answers with an empty secret_key and the page as gone.
  const secretKey = isLive(receipt.state)
    ? found.vault.openSecretKey(metadataKey, receipt.id, receipt.sealedSecretKey)
    : null;
  const view = receiptView(receipt, metadataKey, secretKey);
  if (receipt.recipients.length > 0) view.mail = await deps.store.outbox.status(receipt.id, now);
  return view;
}

/** The receipt of a metadata key and the vault (key generation) that opens it; unknown otherwise. */
export async function findReceipt(
  deps: Deps,
  metadataKey: string,
): Promise<{ vault: Vault; receipt: ReceiptRow }> {
  const unknown = new AppError("unknown_secret", { key: metadataKey });
  if (!isWellFormedKey(metadataKey)) throw unknown;
  const found = await locateReceipt(deps, metadataKey);
  if (found === null) throw unknown;
  return found;
}
