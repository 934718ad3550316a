import { AppError } from "../domain/errors.js";
import { isLive, type ReceiptFacts, type ReceiptView, receiptView } from "../domain/receipt.js";
import { checked } from "./attempts.js";
import type { Caller, Deps } from "./deps.js";
import { hashed } from "./hashing.js";
import { reservePassphrase } from "./lockouts.js";
import { notify } from "./notices.js";
import { clientKey, limit } from "./rate-limit.js";
import { findReceipt } from "./receipt.js";

export interface BurnInput {
  metadataKey: string;
  passphrase?: string;
  /**
   * The web's signed-in creator burns without the passphrase (granted only when `ownsReceipt`).
   * The v1 API never sets it: there, as upstream, holding the receipt link is not enough.
   */
  asOwner?: boolean;
}

/** A burned receipt, and the key of the secret it destroyed (v1 answers its first characters). */
export interface Burned {
  receipt: ReceiptView;
  secretKey: string;
}

/** The caller made this secret while signed in to this account. */
export function ownsReceipt(caller: Caller, receipt: Pick<ReceiptFacts, "owner">): boolean {
  return caller.account !== null && receipt.owner !== null && receipt.owner === caller.account.email;
}

/**
 * Burn: destroy the secret before anyone reads it. Gated by the passphrase like a reveal (checked
 * against the verifier first, so a wrong one destroys nothing; wrong ones lock the receipt link,
 * apart from the secret link's lock), except for its signed-in creator
 * on the web, who may have forgotten it and only ever destroys their own secret. The deletion and
 * the receipt's move to `burned` are one atomic store operation, so a racing reveal and burn have
 * exactly one winner.
 */
export async function burn(deps: Deps, caller: Caller, input: BurnInput): Promise<Burned> {
  await limit(deps, caller, "burn");
  const { vault, receipt } = await findReceipt(deps, input.metadataKey);
  const gone = new AppError("unknown_secret", { key: input.metadataKey });
  if (!isLive(receipt.state)) throw gone;
  const secret = await deps.store.secrets.peek(receipt.secretId, deps.now());
  if (secret === null) throw gone;
  const secretKey = vault.openSecretKey(input.metadataKey, receipt.id, receipt.sealedSecretKey);
  if (secretKey === null) throw new Error("receipt key failed to open");

  const byOwner = input.asOwner === true && ownsReceipt(caller, receipt);
  if (secret.passphraseSalt !== null && !byOwner) {
    const attempt = await reservePassphrase(deps, caller, secret.id, "burn", async () => {
      if ((await deps.store.secrets.peek(secret.id, deps.now())) === null) throw gone;
    });
    const unlock = () => vault.unlockSecret(secret, secretKey, input.passphrase);
    if ((await checked(attempt, () => hashed(deps, clientKey(deps, caller), unlock))) === null) {
      await attempt.failed();
      throw new AppError("passphrase_mismatch");
    }
    await attempt.release();
  }

  const burned = await deps.store.secrets.burn(receipt.id, deps.now());
  if (burned === null) throw gone; // read, burned or expired meanwhile
  deps.metrics?.burned();
  deps.daily.count("burned", burned.burnedAt ?? deps.now());
  await notify(deps, burned, "burned", burned.burnedAt ?? deps.now());
  return { receipt: receiptView(burned, input.metadataKey, null), secretKey };
}
