import { hkdfSync } from "node:crypto";
import { open, seal } from "./aead.js";

// An account's list key seals the metadata keys of its receipts, so the dashboard can list them
// while the store alone cannot. The store never holds it in the clear: each holder keeps its own
// sealed copy. The password's copy is sealed under the wrapping key its argon2 run gives
// (credentials.ts); a session's copy under a key derived from its cookie token, which only the
// browser holds; an API token's copy in vault.ts. The associated data binds each copy to its
// account or session, so a copy moved to another row fails to open.

/** The password's copy, bound to the account. */
export function sealWithPassword(wrapKey: Buffer, accountId: string, listKey: Buffer): Buffer {
  return seal(wrapKey, listKey, passwordAad(accountId));
}

/** The list key from the password's copy; null when the key or the account do not match. */
export function openWithPassword(wrapKey: Buffer, accountId: string, sealed: Buffer): Buffer | null {
  return open(wrapKey, sealed, passwordAad(accountId));
}

/** A session's copy, bound to the session id (the HMAC of its token that the store keeps). */
export function sealForSession(token: string, sessionId: string, listKey: Buffer): Buffer {
  return seal(sessionWrapKey(token), listKey, sessionId);
}

/** The list key from a session's copy; null when the token or the session do not match. */
export function openForSession(token: string, sessionId: string, sealed: Buffer): Buffer | null {
  return open(sessionWrapKey(token), sealed, sessionId);
}

const passwordAad = (accountId: string) => `list:${accountId}`;

/** The token is 256 bits from the CSPRNG, so one HKDF step is enough (no stretching). */
function sessionWrapKey(token: string): Buffer {
  return Buffer.from(hkdfSync("sha256", Buffer.from(token), "onetime/session", "session-list-wrap", 32));
}
