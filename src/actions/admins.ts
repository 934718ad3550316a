import type { Config } from "../config.js";
import { AppError } from "../domain/errors.js";
import type { Deps } from "./deps.js";
import type { SessionAccount } from "./session-account.js";

// Who is an admin, and the proof an admin action asks for. The one place that decides: the pages
// and every admin action go through here.

/** An admin, as the admin actions receive one: the account, and when it signed in. */
export interface Admin {
  id: string;
  email: string;
  signedInAt: number;
}

/**
 * Whether an account is an admin: its address is in ADMIN_EMAILS. `groups` is the seam for single
 * sign-on (issue 19, point 1): an OpenID Connect sign-in will pass the groups claim of its ID token,
 * and an OIDC_ADMIN_GROUP among them will make an admin too; a local account has no groups.
 */
export function isAdmin(
  config: Pick<Config, "admin">,
  who: { email: string; groups?: readonly string[] },
): boolean {
  return config.admin.emails.includes(who.email.toLowerCase());
}

/** The admin behind a signed-in session; AppError admin_only when the account is not one. */
export function asAdmin(deps: Pick<Deps, "config">, account: SessionAccount): Admin {
  if (!isAdmin(deps.config, account)) throw new AppError("admin_only");
  return { id: account.id, email: account.email, signedInAt: account.signedInAt };
}

/**
 * What changes anything (disable, delete, revoke, end sessions, retry, export) needs a sign-in of
 * the last ADMIN_SIGNIN_MAX_AGE seconds: a session left open on an unattended machine, or stolen,
 * cannot do it without the password. Throws stale_signin otherwise.
 */
export function checkFreshSignIn(deps: Pick<Deps, "config" | "now">, admin: Admin): void {
  if (deps.now() - admin.signedInAt > deps.config.admin.signinMaxAgeSeconds * 1000) {
    throw new AppError("stale_signin");
  }
}
