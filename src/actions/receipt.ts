import { isWellFormedKey } from "../crypto/ids.js";
import type { Vault } from "../crypto/vault.js";
import { AppError } from "../domain/errors.js";
import type { ReceiptRow } from "../store/types.js";
import type { Caller, Deps } from "./deps.js";
import { locateReceipt } from "./keyring.js";
import { limit } from "./rate-limit.js";
import type { ReceiptView } from "./receipt-view.js";

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
  let secretAlive = false;
  if (receipt.state === "new" || receipt.state === "viewed") {
    secretAlive = (await deps.store.secrets.peek(receipt.secretId, now)) !== null;
    const to = secretAlive ? "viewed" : now >= receipt.secretExpiresAt ? "expired" : "orphaned";
    if (to !== receipt.state) {
      receipt =
        (await deps.store.secrets.transitionReceipt(receipt.id, ["new", "viewed"], to, now)) ?? receipt;
      if (to === "expired" && receipt.state === "expired") deps.metrics?.expired();
      // A racing reveal or burn may have settled it meanwhile; report what the store holds now.
      if (receipt.state !== "new" && receipt.state !== "viewed") secretAlive = false;
    }
  }
  const secretKey = secretAlive
    ? found.vault.openSecretKey(metadataKey, receipt.id, receipt.sealedSecretKey)
    : null;
  const mail = receipt.recipients.length > 0 ? await deps.store.outbox.status(receipt.id, now) : undefined;
  return { receipt, metadataKey, secretKey, secretAlive, ...(mail === undefined ? {} : { mail }) };
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
