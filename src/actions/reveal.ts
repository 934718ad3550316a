import { isWellFormedKey } from "../crypto/ids.js";
import { AppError } from "../domain/errors.js";
import { checked } from "./attempts.js";
import type { Caller, Deps } from "./deps.js";
import { hashed } from "./hashing.js";
import { locateSecret } from "./keyring.js";
import { reservePassphrase } from "./lockouts.js";
import { clientKey, limit } from "./rate-limit.js";

export interface RevealInput {
  secretKey: string;
  passphrase?: string;
}

export interface Revealed {
  value: string;
  secretKey: string;
  shareDomain: string;
  /** What the secret was (API v2 describes it beside the value); Unix ms. */
  hasPassphrase: boolean;
  createdAt: number;
  expiresAt: number;
}

/**
 * Reveal: the plaintext to exactly one caller. Order matters: every check that can fail (key,
 * passphrase, our own SECRET) runs against the verifier *before* the atomic take, so a failed
 * reveal consumes nothing; after the take only the decryption remains, with the key just verified.
 */
export async function reveal(deps: Deps, caller: Caller, input: RevealInput): Promise<Revealed> {
  await limit(deps, caller, "reveal");
  const unknown = new AppError("unknown_secret", { key: input.secretKey });
  if (!isWellFormedKey(input.secretKey)) throw unknown;

  const found = await locateSecret(deps, input.secretKey);
  if (found === null) throw unknown;
  const { vault, header } = found;
  const id = header.id;
  const unlock = () => vault.unlockSecret(header, input.secretKey, input.passphrase);
  let contentKey: Buffer | null;
  let row: Awaited<ReturnType<typeof deps.store.secrets.take>>;
  if (header.passphraseSalt === null) {
    contentKey = await unlock();
    if (contentKey === null) throw unknown;
    row = await deps.store.secrets.take(id, deps.now());
  } else {
    // A guess that waited for others to end first looks again: the secret may have been read.
    const attempt = await reservePassphrase(deps, caller, id, "reveal", async () => {
      if ((await deps.store.secrets.peek(id, deps.now())) === null) throw unknown;
    });
    contentKey = await checked(attempt, () => hashed(deps, clientKey(deps, caller), unlock));
    if (contentKey === null) {
      await attempt.failed();
      // Wrong or missing passphrase: nothing consumed. v1 answers it like an unknown secret; the web
      // page says so and draws its form again from this answer alone (no second read).
      throw new AppError("wrong_passphrase", { key: input.secretKey });
    }
    // The place is given back after the take, so the guesses waiting behind see the secret gone.
    row = await checked(attempt, () => deps.store.secrets.take(id, deps.now()));
    await attempt.release();
  }
  if (row === null) throw unknown; // another reader won the race
  deps.metrics?.revealed();
  const value = vault.openSecret(contentKey, row);
  if (value === null) throw new Error("verified secret failed to decrypt");
  return {
    value,
    secretKey: input.secretKey,
    shareDomain: row.shareDomain,
    hasPassphrase: row.passphraseSalt !== null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}
