import { AppError, isAppError } from "../domain/errors.js";
import type { AccountRow } from "../store/types.js";
import { newAccountRow, normalizeEmail } from "./accounts.js";
import { ANONYMOUS, audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { startSession } from "./session.js";

/** What a validated ID token (openid-client checked issuer, audience, expiry, nonce, signature) says. */
export interface SsoIdentity {
  email: string;
  emailVerified: boolean;
  /** The groups claim (OIDC_GROUPS_CLAIM), empty when the token has none. */
  groups: string[];
}

/**
 * Signs in by single sign-on: the account whose address the provider vouches for (email_verified),
 * made at the first sign-in when OIDC_AUTO_CREATE is on, limited to OIDC_ALLOWED_DOMAINS; returns
 * a new session token. Such an account has no password to wrap its list key: its sessions carry the
 * key the server derives for it (vault.ssoListKey, docs/security.md). Sign-ins and refusals go to
 * the audit log as a password sign-in's do, with detail "sso".
 */
export async function ssoSignIn(deps: Deps, caller: Caller, identity: SsoIdentity): Promise<string> {
  let target = "";
  try {
    const { account, vault } = await admit(deps, caller, identity, (address) => {
      target = address;
    });
    const token = await startSession(deps, account.id, vault.ssoListKey(account.id), identity.groups);
    await audit(deps, caller, {
      action: "signin",
      actor: account.email,
      target: account.email,
      detail: "sso",
    });
    return token;
  } catch (err) {
    if (isAppError(err) && err.code !== "store_unavailable") {
      const reason = typeof err.details.reason === "string" ? err.details.reason : err.code;
      await audit(deps, caller, {
        action: "signin_failed",
        actor: ANONYMOUS,
        target,
        outcome: "failed",
        detail: `sso_${reason}`,
      });
    }
    throw err;
  }
}

/** The account to sign in to (made when allowed), or an sso_refused / account_disabled error. */
async function admit(
  deps: Deps,
  caller: Caller,
  identity: SsoIdentity,
  found: (address: string) => void,
): Promise<{ account: AccountRow; vault: Deps["vault"] }> {
  const oidc = deps.config.sso.oidc;
  if (oidc === null) throw new AppError("sso_refused", { reason: "flow" });
  const address = normalizeEmail(identity.email);
  if (address === null || !identity.emailVerified)
    throw new AppError("sso_refused", { reason: "unverified" });
  const domain = address.slice(address.lastIndexOf("@") + 1);
  if (oidc.allowedDomains.length > 0 && !oidc.allowedDomains.includes(domain)) {
    throw new AppError("sso_refused", { reason: "domain", domains: oidc.allowedDomains.join(", ") });
  }
  const located = await locateAccount(deps, address);
  if (located !== null) {
    found(located.account.email);
    if (located.account.disabledAt !== null) throw new AppError("account_disabled");
    return located;
  }
  if (!oidc.autoCreate) throw new AppError("sso_refused", { reason: "no_account" });
  const now = deps.now();
  const account = newAccountRow(deps.vault.accountId(address), address, now);
  // Two first sign-ins at once: one creates, the other finds it.
  if (!(await deps.store.accounts.create(account))) {
    const again = await locateAccount(deps, address);
    if (again === null) throw new AppError("sso_refused", { reason: "no_account" });
    return again;
  }
  found(address);
  await audit(deps, caller, { action: "account_created", actor: address, target: address, detail: "sso" });
  return { account, vault: deps.vault };
}

/** Records a single sign-on refused before an identity was known (the flow's checks failed). */
export async function recordSsoFailure(deps: Deps, caller: Caller, reason: string): Promise<void> {
  await audit(deps, caller, {
    action: "signin_failed",
    actor: ANONYMOUS,
    target: "",
    outcome: "failed",
    detail: `sso_${reason}`,
  });
}
