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
 * Whether an account is an admin: its address is in ADMIN_EMAILS, or its session began with a single
 * sign-on whose groups claim holds OIDC_ADMIN_GROUP (kept with the session, so it lasts as long as
 * that sign-in). A password session has no groups.
 */
export function isAdmin(
  config: Pick<Config, "admin" | "sso">,
  who: { email: string; groups?: readonly string[] },
): boolean {
  const group = config.sso.oidc?.adminGroup ?? null;
  if (group !== null && (who.groups ?? []).includes(group)) return true;
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
 * cannot do it without the password. An account without a password deleting itself needs one too
 * (delete-web-account.ts). Throws stale_signin otherwise.
 */
export function checkFreshSignIn(
  deps: Pick<Deps, "config" | "now">,
  session: Pick<Admin, "signedInAt">,
): void {
  if (deps.now() - session.signedInAt > deps.config.admin.signinMaxAgeSeconds * 1000) {
    throw new AppError("stale_signin");
  }
}
