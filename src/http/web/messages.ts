import { AuthError } from "../../actions/auth-error.js";
import { OtsError } from "../../domain/errors.js";
import type { Messages } from "../../i18n/i18n.js";

// What the account pages tell the user. Each message key is written out (not built from a code), so
// that src/i18n/catalogues.test.ts sees every key in use.

type T = Messages["t"];

/** The notice shown after a redirect (`?notice=<code>`); codes outside this list show nothing. */
export function noticeText(t: T, code: unknown): string | undefined {
  switch (code) {
    case "check_mail":
      return t("notice.check_mail");
    case "welcome":
      return t("notice.welcome");
    case "confirmed":
      return t("notice.confirmed");
    case "reset_sent":
      return t("notice.reset_sent");
    case "password_reset":
      return t("notice.password_reset");
    case "signed_out":
      return t("notice.signed_out");
    case "password_changed":
      return t("notice.password_changed");
    case "language":
      return t("notice.language");
    case "deleted":
      return t("notice.deleted");
    default:
      return undefined;
  }
}

export type Notice =
  | "check_mail"
  | "welcome"
  | "confirmed"
  | "reset_sent"
  | "password_reset"
  | "signed_out"
  | "password_changed"
  | "language"
  | "deleted";

export interface Problem {
  status: number;
  message: string;
}

/**
 * An account form's error as a status and a message; null for errors the page's error handler
 * answers. `context` words a wrong password on the account page differently from a failed sign-in.
 */
export function authProblem(t: T, err: unknown, context: "signin" | "account" = "signin"): Problem | null {
  if (err instanceof OtsError && err.code === "rate_limited") {
    return { status: 429, message: t("auth.error.rate_limited") };
  }
  if (!(err instanceof AuthError)) return null;
  const d = err.details;
  switch (err.code) {
    case "signup_closed":
      return { status: 403, message: t("auth.error.signup_closed") };
    case "signup_domain":
      return { status: 400, message: t("auth.error.signup_domain", d) };
    case "bad_email":
      return { status: 400, message: t("auth.error.bad_email") };
    case "account_exists":
      return { status: 409, message: t("auth.error.account_exists") };
    case "password_too_short":
      return { status: 400, message: t("auth.error.password_too_short", d) };
    case "password_too_long":
      return { status: 400, message: t("auth.error.password_too_long", d) };
    case "bad_credentials":
      return context === "account"
        ? { status: 403, message: t("auth.error.wrong_password") }
        : { status: 401, message: t("auth.error.bad_credentials") };
    case "unverified":
      return { status: 403, message: t("auth.error.unverified") };
    case "link_invalid":
      return { status: 400, message: t("auth.error.link_invalid") };
  }
}
