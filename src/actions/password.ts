import { safeEqual } from "../crypto/keys.js";
import { openWithPassword, sealWithPassword } from "../crypto/list-key.js";
import { newSalt } from "../crypto/passphrase.js";
import type { Vault } from "../crypto/vault.js";
import { AppError } from "../domain/errors.js";
import type { CredentialsRow } from "../store/types.js";
import { checked } from "./attempts.js";
import type { Deps } from "./deps.js";
import { hashed } from "./hashing.js";
import { reserveSignin } from "./lockouts.js";

// What the web actions share about passwords. The password never reaches the store: one argon2id
// run gives a verifier (stored) and the key that wraps the account's list key (not stored), both
// keyed with the pepper of the SECRET generation the account was made under (`vault`).

const PASSWORD_MAX = 256;
/** Used when the account does not exist, so an unknown address costs one argon2 run too. */
const DUMMY_SALT = Buffer.alloc(16);

/** Refuses a new password that is too short or too long (counted in characters, not bytes). */
export function checkPassword(deps: Deps, password: string): void {
  const length = [...password].length;
  const min = deps.config.auth.passwordMinLength;
  if (length < min) throw new AppError("password_too_short", { min });
  if (length > PASSWORD_MAX) throw new AppError("password_too_long", { max: PASSWORD_MAX });
}

/**
 * New credentials for a password, wrapping `listKey` (a new one when null). The argon2 run waits
 * its turn in `client`'s share of the queue, and unless `bounded` is never refused: most callers
 * have already spent something a refusal would waste (a mailed link, a checked current password).
 */
export async function newCredentials(
  deps: Deps,
  client: string,
  vault: Vault,
  accountId: string,
  password: string,
  {
    listKey,
    verifiedAt,
    locale,
    bounded = false,
  }: { listKey: Buffer | null; verifiedAt: number | null; locale: string | null; bounded?: boolean },
): Promise<CredentialsRow> {
  const salt = newSalt();
  const { peppered } = await hashed(deps, client, () => vault.passwordKeys(password, salt), { bounded });
  const list = listKey ?? deps.vault.newListKey();
  return {
    accountId,
    salt,
    verifier: peppered.verifier,
    wrappedListKey: sealWithPassword(peppered.wrapKey, accountId, list),
    verifiedAt,
    locale,
    updatedAt: deps.now(),
  };
}

/**
 * Checks a password against an account's credentials, reserving the check before argon2 (run in
 * `client`'s share of the queue) and counting failures per account (a locked account is refused as
 * rate_limited). Null when the password is wrong or there are no credentials:
 * the caller says so in its own terms (a failed sign-in, or a wrong current password). Otherwise the
 * account's list key (null when it has none or it does not open). Credentials written before the
 * pepper are accepted once and rewritten peppered, from the same argon2 run.
 */
export async function checkCredentials(
  deps: Deps,
  client: string,
  vault: Vault,
  accountKey: string,
  creds: CredentialsRow | null,
  password: string,
): Promise<{ listKey: Buffer | null } | null> {
  const attempt = await reserveSignin(deps, accountKey);
  const derive = () => vault.passwordKeys(password, creds?.salt ?? DUMMY_SALT);
  const { peppered, unpeppered } = await checked(attempt, () => hashed(deps, client, derive));
  const matched =
    creds === null ? null : [peppered, unpeppered].find((keys) => safeEqual(keys.verifier, creds.verifier));
  if (creds === null || matched === undefined || matched === null) {
    await attempt.failed();
    return null;
  }
  await attempt.release();
  const { accountId, wrappedListKey } = creds;
  const listKey =
    wrappedListKey === null ? null : openWithPassword(matched.wrapKey, accountId, wrappedListKey);
  if (matched === unpeppered) {
    await deps.store.accounts.setCredentials({
      ...creds,
      verifier: peppered.verifier,
      wrappedListKey: listKey === null ? null : sealWithPassword(peppered.wrapKey, accountId, listKey),
      updatedAt: deps.now(),
    });
  }
  return { listKey };
}

/**
 * What a new password ends, after a change or a reset: every session, the API token with its copy
 * of the list key (a token seen by someone else must not outlive the password), and every reset link
 * still in a mailbox. True when there was a token to revoke (for the audit log).
 */
export async function endOldAccess(deps: Deps, accountId: string): Promise<boolean> {
  const hadToken = (await deps.store.accounts.get(accountId))?.tokenHash != null;
  await deps.store.accounts.setToken(accountId, null, null, deps.now());
  await deps.store.accounts.deleteTickets(accountId, "reset");
  await deps.store.accounts.deleteSessions(accountId);
  return hadToken;
}
