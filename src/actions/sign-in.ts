import { AppError } from "../domain/errors.js";
import { normalizeEmail } from "./accounts.js";
import type { Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { checkCredentials } from "./password.js";
import { clientKey, limit } from "./rate-limit.js";
import { startSession } from "./session.js";

/**
 * Signs in: a new session (a fresh token on every sign-in); returns the token for the cookie. An
 * unknown address costs the same argon2 run as a wrong password and gets the same answer.
 */
export async function signIn(
  deps: Deps,
  caller: Caller,
  input: { email: string; password: string },
): Promise<string> {
  await limit(deps, caller, "signin");
  const address = normalizeEmail(input.email) ?? "";
  const found = address === "" ? null : await locateAccount(deps, address);
  const creds = found === null ? null : await deps.store.accounts.getCredentials(found.account.id);
  const vault = found?.vault ?? deps.vault;
  const opened = await checkCredentials(
    deps,
    clientKey(deps, caller),
    vault,
    deps.vault.subject(address),
    creds,
    input.password,
  );
  if (opened === null || found === null || creds === null) throw new AppError("bad_credentials");
  if (creds.verifiedAt === null) throw new AppError("unverified");
  return startSession(deps, found.account.id, opened.listKey);
}
