import { safeEqual } from "../crypto/keys.js";
import { AppError, isAppError } from "../domain/errors.js";
import type { AccountRow } from "../store/types.js";
import type { Account, Caller, Deps } from "./deps.js";
import { keyring, locateAccount } from "./keyring.js";
import { checkAuthFailures, recordAuthFailure } from "./rate-limit.js";

// Compared against when the account does not exist, so an unknown email costs the same work as a
// wrong token and answers the same way.
const DUMMY_HASH = Buffer.alloc(32);

export interface AuthSchemes {
  /** Also accept `Bearer <token>` (API v2). v1 keeps to Basic, as upstream. */
  bearer?: boolean;
}

/**
 * HTTP Basic `email:apitoken`, and with `bearer`, `Bearer <apitoken>`. No header → anonymous
 * (null). A header that is present but of another scheme, malformed, or wrong never falls back to
 * anonymous: it is "not authorized", and counts against the caller: past RATE_LIMIT_AUTH_FAILURES
 * in the window, every request that carries credentials is refused as rate limited, right ones too,
 * until the window ends.
 */
export async function authenticate(
  deps: Deps,
  caller: Pick<Caller, "ip">,
  authorization: string | undefined,
  schemes: AuthSchemes = {},
): Promise<Account | null> {
  if (authorization === undefined) return null;
  if (!deps.config.authEnabled) throw new AppError("auth_disabled");
  await checkAuthFailures(deps, caller);
  try {
    return await verify(deps, authorization, schemes);
  } catch (err) {
    if (isAppError(err, "not_authorized")) await recordAuthFailure(deps, caller);
    throw err;
  }
}

async function verify(deps: Deps, authorization: string, schemes: AuthSchemes): Promise<Account> {
  const denied = new AppError("not_authorized");
  const bearer = schemes.bearer === true ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (bearer !== undefined) return byToken(deps, bearer, denied);
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
  return signedIn(deps, account, token);
}

/**
 * A token alone: the store finds the account holding its hash, under the current SECRET or a
 * previous one (an account keeps the generation it was made under).
 */
async function byToken(deps: Deps, token: string, denied: AppError): Promise<Account> {
  for (const vault of keyring(deps)) {
    const hash = vault.tokenHash(token);
    const id = await deps.store.accounts.accountByToken(hash);
    const account = id === null ? null : await deps.store.accounts.get(id);
    if (account?.tokenHash != null && safeEqual(hash, account.tokenHash))
      return signedIn(deps, account, token);
  }
  throw denied;
}

function signedIn(deps: Deps, account: AccountRow, token: string): Account {
  const listKey =
    account.wrappedListKey === null
      ? null
      : deps.vault.unwrapListKey(token, account.id, account.wrappedListKey);
  return { id: account.id, email: account.email, listKey };
}
