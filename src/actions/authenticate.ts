import { safeEqual } from "../crypto/keys.js";
import { AppError, isAppError } from "../domain/errors.js";
import type { Account, Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { checkAuthFailures, recordAuthFailure } from "./rate-limit.js";

// Compared against when the account does not exist, so an unknown email costs the same work as a
// wrong token and answers the same way.
const DUMMY_HASH = Buffer.alloc(32);

/**
 * HTTP Basic `email:apitoken`. No header → anonymous (null). A header that is present but not
 * Basic, malformed, or wrong never falls back to anonymous: it is "not authorized", and counts
 * against the caller: past RATE_LIMIT_AUTH_FAILURES in the window, every request that carries
 * credentials is refused as rate limited, right ones too, until the window ends.
 */
export async function authenticate(
  deps: Deps,
  caller: Pick<Caller, "ip">,
  authorization: string | undefined,
): Promise<Account | null> {
  if (authorization === undefined) return null;
  if (!deps.config.authEnabled) throw new AppError("auth_disabled");
  await checkAuthFailures(deps, caller);
  try {
    return await verify(deps, authorization);
  } catch (err) {
    if (isAppError(err, "not_authorized")) await recordAuthFailure(deps, caller);
    throw err;
  }
}

async function verify(deps: Deps, authorization: string): Promise<Account> {
  const denied = new AppError("not_authorized");
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (match?.[1] === undefined) throw denied;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0 || colon === decoded.length - 1) throw denied;
  const email = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);

  const found = await locateAccount(deps, email);
  const account = found?.account ?? null;
  const presented = (found?.vault ?? deps.vault).tokenHash(token);
  const ok = safeEqual(presented, account?.tokenHash ?? DUMMY_HASH);
  if (account === null || account.tokenHash === null || !ok) throw denied;
  const listKey =
    account.wrappedListKey === null
      ? null
      : deps.vault.unwrapListKey(token, account.id, account.wrappedListKey);
  return { id: account.id, email: account.email, listKey };
}
