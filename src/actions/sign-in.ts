import { AppError, isAppError } from "../domain/errors.js";
import type { AccountRow } from "../store/types.js";
import { normalizeEmail } from "./accounts.js";
import { ANONYMOUS, audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { checkCredentials } from "./password.js";
import { clientKey, limit } from "./rate-limit.js";
import { startSession } from "./session.js";

/**
 * Signs in: a new session (a fresh token on every sign-in); returns the token for the cookie. An
 * unknown address costs the same argon2 run as a wrong password and gets the same answer. A
 * disabled account is refused only once its password is proven, so the refusal tells nothing to
 * whoever does not hold it. Every sign-in, and every failure past the per-IP limit (which bounds
 * how many a client can write), goes to the audit log: the account's address when there is one,
 * never what was typed. With AUTH_LOCAL=false there is no password sign-in at all.
 */
export async function signIn(
  deps: Deps,
  caller: Caller,
  input: { email: string; password: string },
): Promise<string> {
  if (!deps.config.sso.local) throw new AppError("local_auth_off");
  await limit(deps, caller, "signin");
  const address = normalizeEmail(input.email) ?? "";
  const found = address === "" ? null : await locateAccount(deps, address);
  let signedIn: { account: AccountRow; listKey: Buffer | null };
  try {
    signedIn = await check(deps, caller, address, found, input.password);
  } catch (err) {
    if (isAppError(err) && err.code !== "store_unavailable") {
      const target = found?.account.email ?? "";
      await audit(deps, caller, {
        action: "signin_failed",
        actor: ANONYMOUS,
        target,
        outcome: "failed",
        detail: err.code,
      });
    }
    throw err;
  }
  const { account, listKey } = signedIn;
  const token = await startSession(deps, account.id, listKey);
  await audit(deps, caller, { action: "signin", actor: account.email, target: account.email });
  return token;
}

/** The account and its list key once the password is proven and it may sign in; throws otherwise. */
async function check(
  deps: Deps,
  caller: Caller,
  address: string,
  found: Awaited<ReturnType<typeof locateAccount>>,
  password: string,
): Promise<{ account: AccountRow; listKey: Buffer | null }> {
  const creds = found === null ? null : await deps.store.accounts.getCredentials(found.account.id);
  const vault = found?.vault ?? deps.vault;
  const opened = await checkCredentials(
    deps,
    clientKey(deps, caller),
    vault,
    deps.vault.subject(address),
    creds,
    password,
  );
  if (opened === null || found === null || creds === null) throw new AppError("bad_credentials");
  if (creds.verifiedAt === null) throw new AppError("unverified");
  if (found.account.disabledAt !== null) throw new AppError("account_disabled");
  return { account: found.account, listKey: opened.listKey };
}
