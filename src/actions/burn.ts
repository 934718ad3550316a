import { OtsError } from "../domain/errors.js";
import type { Caller, Deps } from "./deps.js";
import { checkPassphraseLock, limit, recordPassphraseFailure } from "./rate-limit.js";
import { findReceipt } from "./receipt.js";
import type { ReceiptView } from "./receipt-view.js";

export interface BurnInput {
  metadataKey: string;
  passphrase?: string;
}

/**
 * Burn: destroy the secret before anyone reads it. Gated by the passphrase like a reveal (checked
 * against the verifier first, so a wrong one destroys nothing); the deletion and the receipt's move
 * to `burned` are one atomic store operation, so a racing reveal and burn have exactly one winner.
 */
export async function burn(
  deps: Deps,
  caller: Caller,
  input: BurnInput,
): Promise<ReceiptView & { secretKey: string }> {
  await limit(deps, caller, "burn");
  const { vault, receipt } = await findReceipt(deps, input.metadataKey);
  const gone = new OtsError("unknown_secret", { key: input.metadataKey });
  if (receipt.state !== "new" && receipt.state !== "viewed") throw gone;
  const secret = await deps.store.secrets.peek(receipt.secretId, deps.now());
  if (secret === null) throw gone;
  const secretKey = vault.openSecretKey(input.metadataKey, receipt.id, receipt.sealedSecretKey);
  if (secretKey === null) throw new Error("receipt key failed to open");

  if (secret.passphraseSalt !== null) {
    await checkPassphraseLock(deps, caller, secret.id);
    if ((await vault.unlockSecret(secret, secretKey, input.passphrase)) === null) {
      await recordPassphraseFailure(deps, caller, secret.id);
      throw new OtsError("passphrase_mismatch");
    }
  }

  const burned = await deps.store.secrets.burn(receipt.id, deps.now());
  if (burned === null) throw gone; // read, burned or expired meanwhile
  deps.metrics?.burned();
  return { receipt: burned, metadataKey: input.metadataKey, secretKey, secretAlive: false };
}
