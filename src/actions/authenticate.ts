import { safeEqual } from "../crypto/keys.js";
import { AppError, isAppError } from "../domain/errors.js";
import type { AccountRow } from "../store/types.js";
import { ANONYMOUS, audit } from "./audit.js";
import type { Account, Caller, Deps } from "./deps.js";
import { keyring, locateAccount } from "./keyring.js";
import { checkAuthFailures, recordAuthFailure } from "./rate-limit.js";

// Compared against when the account does not exist, so an unknown email costs the same work as a
// wrong token and answers the same way.
const DUMMY_HASH = Buffer.alloc(32);

/** A refusal, with what the audit log may say about it: the account's address when known. */
class Refused extends AppError {
  constructor(
    readonly target: string,
    readonly reason: "bad_credentials" | "disabled",
  ) {
    super("not_authorized");
  }
}

export interface AuthSchemes {
  /** Also accept `Bearer <token>` (API v2). v1 keeps to Basic, as upstream. */
  bearer?: boolean;
}

/**
 * HTTP Basic `email:apitoken`, and with `bearer`, `Bearer <apitoken>`. No header → anonymous
 * (null). A header that is present but of another scheme, malformed, or wrong never falls back to
 * anonymous: it is "not authorized", and counts against the caller: past RATE_LIMIT_AUTH_FAILURES
 * in the window, every request that carries credentials is refused as rate limited, right ones too,
 * until the window ends. So does a right token of a disabled account. Each refusal is in the audit
 * log (bounded by the same limit), naming the account when the credentials name one.
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
    if (isAppError(err, "not_authorized")) {
      await recordAuthFailure(deps, caller);
      const { target, reason } = err instanceof Refused ? err : { target: "", reason: "bad_credentials" };
      await audit(deps, caller, {
        action: "api_auth_failed",
        actor: ANONYMOUS,
        target,
        outcome: "failed",
        detail: reason,
      });
    }
    throw err;
  }
}

async function verify(deps: Deps, authorization: string, schemes: AuthSchemes): Promise<Account> {
  const denied = new Refused("", "bad_credentials");
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
  if (account === null || account.tokenHash === null || !ok)
    throw account === null ? denied : new Refused(account.email, "bad_credentials");
  return signedIn(deps, account, token);
}

/**
 * A token alone: the store finds the account holding its hash, under the current SECRET or a
 * previous one (an account keeps the generation it was made under).
 */
async function byToken(deps: Deps, token: string, denied: Refused): Promise<Account> {
  for (const vault of keyring(deps)) {
    const hash = vault.tokenHash(token);
    const id = await deps.store.accounts.accountByToken(hash);
    const account = id === null ? null : await deps.store.accounts.get(id);
    if (account?.tokenHash != null && safeEqual(hash, account.tokenHash))
      return signedIn(deps, account, token);
  }
  throw denied;
}

/** The caller's account, unless an admin disabled it: its token then stops at once. */
function signedIn(deps: Deps, account: AccountRow, token: string): Account {
  if (account.disabledAt !== null) throw new Refused(account.email, "disabled");
  const listKey =
    account.wrappedListKey === null
      ? null
      : deps.vault.unwrapListKey(token, account.id, account.wrappedListKey);
  return { id: account.id, email: account.email, listKey };
}
