import { AppError } from "../domain/errors.js";
import { normalizeEmail } from "./accounts.js";
import type { Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { checkPassword, newCredentials } from "./password.js";
import { limit } from "./rate-limit.js";
import { mailTicket } from "./tickets.js";

/**
 * Web sign-up: the account, then its credentials (a new list key wrapped by the password), then,
 * unless AUTH_AUTOVERIFY, a mailed link that confirms the address before the first sign-in.
 */
export async function signUp(
  deps: Deps,
  caller: Caller,
  input: { email: string; password: string; locale: string | null },
): Promise<{ verified: boolean }> {
  const { auth } = deps.config;
  if (!auth.signup) throw new AppError("signup_closed");
  await limit(deps, caller, "signup");
  const address = normalizeEmail(input.email);
  if (address === null) throw new AppError("bad_email");
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (auth.allowedDomains.length > 0 && !auth.allowedDomains.includes(domain)) {
    throw new AppError("signup_domain", { domains: auth.allowedDomains.join(", ") });
  }
  checkPassword(deps, input.password);
  if ((await locateAccount(deps, address)) !== null) throw new AppError("account_exists");
  const id = deps.vault.accountId(address);
  const now = deps.now();
  const row = { id, email: address, tokenHash: null, wrappedListKey: null, createdAt: now, updatedAt: now };
  if (!(await deps.store.accounts.create(row))) throw new AppError("account_exists");
  const verifiedAt = auth.autoverify ? now : null;
  await deps.store.accounts.setCredentials(
    await newCredentials(deps, id, input.password, { listKey: null, verifiedAt, locale: input.locale }),
  );
  if (verifiedAt === null) await mailTicket(deps, "verify", { id, email: address }, input.locale);
  return { verified: verifiedAt !== null };
}
