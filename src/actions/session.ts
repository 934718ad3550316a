import { randomBytes } from "node:crypto";
import { hmacHex } from "../crypto/keys.js";
import { sealForSession } from "../crypto/list-key.js";
import type { Deps } from "./deps.js";

// What the web actions share about sessions. A session keeps its own copy of the list key, sealed
// under its cookie token, so the dashboard can open the account's receipts while the store alone
// cannot. The store keeps only the HMAC of the token, as the session's id.

/** The id of a session token; null when the token is not one this server could have issued. */
export function sessionId(deps: Deps, token: string | undefined): string | null {
  if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return idOf(deps, token);
}

/** Starts a session for the account (a fresh token each time); returns the token for the cookie. */
export async function startSession(
  deps: Deps,
  accountId: string,
  listKey: Buffer | null,
  groups: string[] = [],
): Promise<string> {
  // 256 bits from the CSPRNG; only its HMAC is stored.
  const token = randomBytes(32).toString("base64url");
  const id = idOf(deps, token);
  const now = deps.now();
  await deps.store.accounts.createSession({
    id,
    accountId,
    sealedListKey: listKey === null ? null : sealForSession(token, id, listKey),
    createdAt: now,
    expiresAt: now + deps.config.auth.sessionTtlSeconds * 1000,
    groups,
  });
  return token;
}

const idOf = (deps: Deps, token: string) => hmacHex(deps.webKeys.session, "session", token);
