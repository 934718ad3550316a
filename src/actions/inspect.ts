import { isWellFormedKey } from "../crypto/ids.js";
import type { ClientKdf } from "../domain/client-secret.js";
import { AppError } from "../domain/errors.js";
import type { Caller, Deps } from "./deps.js";
import { locateSecret } from "./keyring.js";
import { limit } from "./rate-limit.js";

export interface SecretPreview {
  hasPassphrase: boolean;
  /** Set for a client-encrypted secret: the PBKDF2 parameters its reader needs (kdf null: no passphrase). */
  client: { kdf: ClientKdf | null } | null;
  /** The secret carries a file (a client secret's reader opens its blob as a content envelope). */
  hasFile: boolean;
  /** Unix ms. */
  createdAt: number;
  expiresAt: number;
  /** The views still allowed, this look consuming none (a reveal now would leave one fewer). */
  viewsLeft: number;
}

/**
 * What the confirmation page needs before a reveal: whether the secret exists and asks for a
 * passphrase. It reads the header only and changes nothing, so the link previews of chat apps and
 * mail scanners that fetch the page consume nothing. Counted like a reveal, so probing keys this
 * way is limited like probing them by revealing.
 */
export async function inspectSecret(deps: Deps, caller: Caller, secretKey: string): Promise<SecretPreview> {
  await limit(deps, caller, "reveal");
  const unknown = new AppError("unknown_secret", { key: secretKey });
  if (!isWellFormedKey(secretKey)) throw unknown;
  const found = await locateSecret(deps, secretKey);
  if (found === null) throw unknown;
  const { header } = found;
  return {
    hasPassphrase: header.passphraseSalt !== null || (header.client?.kdf ?? null) !== null,
    client: header.client === null ? null : { kdf: header.client.kdf },
    hasFile: header.hasFile,
    createdAt: header.createdAt,
    expiresAt: header.expiresAt,
    viewsLeft: header.viewsLeft,
  };
}
