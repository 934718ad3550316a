import {
  type AppError,
  ERROR_CODES,
  type ErrorCode,
  type ErrorDetails,
  isAppError,
} from "../../domain/errors.js";
import type { Messages } from "../../i18n/i18n.js";

// What the pages tell the user: notices after a redirect, and the web's one mapping of error codes
// (the line above a form, or the page). Each message key is written out (not built from a code), so
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
    case "signin_again":
      return t("notice.signin_again");
    case "admin_disabled":
      return t("notice.admin_disabled");
    case "admin_enabled":
      return t("notice.admin_enabled");
    case "admin_token_revoked":
      return t("notice.admin_token_revoked");
    case "admin_sessions_ended":
      return t("notice.admin_sessions_ended");
    case "admin_deleted":
      return t("notice.admin_deleted");
    case "admin_self":
      return t("notice.admin_self");
    case "mail_retried":
      return t("notice.mail_retried");
    case "mail_not_waiting":
      return t("notice.mail_not_waiting");
    case "signin_to_read":
      return t("notice.signin_to_read");
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
  | "deleted"
  | "signin_again"
  | "admin_disabled"
  | "admin_enabled"
  | "admin_token_revoked"
  | "admin_sessions_ended"
  | "admin_deleted"
  | "admin_self"
  | "mail_retried"
  | "mail_not_waiting"
  | "signin_to_read";

/** The error pages; each has error.<name>.title and error.<name>.body in every catalogue. */
export const ERROR_PAGES = [
  "not_found",
  "rate_limited",
  "unavailable",
  "busy",
  "bad_request",
  "too_large",
  "unexpected",
  "forbidden",
] as const;
export type ErrorPage = (typeof ERROR_PAGES)[number];

/**
 * The forms that draw themselves again with an error line: the create form, the account forms
 * (sign-up, sign-in, mailed links, account page), and the burn and reveal forms ("passphrase"),
 * which show only a wrong passphrase: redrawing them for anything else would cost another read.
 */
export type Form = "create" | "account" | "passphrase";

/** The line a form shows above itself, for the codes a user can fix or wait out; undefined: the page. */
const LINES: { [C in ErrorCode]?: (t: T, d: ErrorDetails, form: Form) => string | undefined } = {
  nothing_to_share: (t) => t("form.error.nothing_to_share"),
  // The parameters a page form can get wrong: the views (typed in a number field), and a link domain
  // the selector does not offer (posted by hand).
  invalid_param: (t, d, form) => {
    if (form !== "create") return undefined;
    if (d.field === "views") return t("form.error.views", { count: Number(d.max ?? 1) });
    if (d.field === "share_domain") return t("form.error.share_domain", { domains: String(d.allowed ?? "") });
    return undefined;
  },
  secret_too_large: (t, d) => t("form.error.secret_too_large", { count: Number(d.max) }),
  file_too_large: (t, d) => t("form.error.file_too_large", { count: Number(d.max) }),
  passphrase_required: (t) => t("form.error.passphrase_required"),
  passphrase_too_short: (t, d) => t("form.error.passphrase_too_short", { count: Number(d.min) }),
  passphrase_too_long: (t, d) => t("form.error.passphrase_too_long", { count: Number(d.max) }),
  undeliverable_recipient: (t, d) => t("form.error.undeliverable_recipient", d),
  recipient_needs_account: (t) => t("form.error.recipient_needs_account"),
  notify_needs_account: (t) => t("form.error.notify_needs_account"),
  notify_unverified: (t) => t("form.error.notify_unverified"),
  notify_unavailable: (t) => t("form.error.notify_unavailable"),
  webhook_url_refused: (t, d) => {
    if (d.reason === "http_not_allowed") return t("webhooks.error.http");
    if (d.reason === "refused_address") return t("webhooks.error.address");
    return t("webhooks.error.url");
  },
  webhook_events_none: (t) => t("webhooks.error.events"),
  webhooks_full: (t, d) => t("webhooks.error.full", d),
  no_webhook: (t) => t("webhooks.error.gone"),
  wrong_passphrase: (t) => t("form.error.wrong_passphrase"),
  passphrase_mismatch: (t) => t("form.error.wrong_passphrase"),
  client_encrypted: (t) => t("form.error.client_encrypted"),
  zero_knowledge_off: (t) => t("form.error.zero_knowledge_off"),
  zero_knowledge_required: (t) => t("form.error.zero_knowledge_required"),
  signup_closed: (t) => t("auth.error.signup_closed"),
  signup_domain: (t, d) => t("auth.error.signup_domain", d),
  bad_email: (t) => t("auth.error.bad_email"),
  account_exists: (t) => t("auth.error.account_exists"),
  password_too_short: (t, d) => t("auth.error.password_too_short", { count: Number(d.min) }),
  password_too_long: (t, d) => t("auth.error.password_too_long", { count: Number(d.max) }),
  bad_credentials: (t) => t("auth.error.bad_credentials"),
  wrong_password: (t) => t("auth.error.wrong_password"),
  wrong_confirmation: (t) => t("account.delete.wrong_address"),
  unverified: (t) => t("auth.error.unverified"),
  account_disabled: (t) => t("auth.error.account_disabled"),
  link_invalid: (t) => t("auth.error.link_invalid"),
  local_auth_off: (t) => t("auth.error.local_off"),
  rate_limited: (t, _d, form) => {
    if (form === "create") return t("form.error.rate_limited");
    return form === "account" ? t("auth.error.rate_limited") : undefined;
  },
  server_busy: (t, _d, form) => {
    if (form === "create") return t("form.error.busy");
    return form === "account" ? t("auth.error.busy") : undefined;
  },
  // What was typed into the create form is kept; other forms end on the "unavailable" page.
  store_unavailable: (t, _d, form) => (form === "create" ? t("form.error.store_unavailable") : undefined),
};

/** The page for an error no form shows (status: the catalogue's); "secret" explains a dead secret link. */
const PAGES: { [C in ErrorCode]?: ErrorPage | "secret" } = {
  unknown_secret: "secret",
  rate_limited: "rate_limited",
  store_unavailable: "unavailable",
  server_busy: "busy",
  // Only a body over BODY_LIMIT reaches a page with this code; the create form shows its own.
  secret_too_large: "too_large",
  file_too_large: "too_large",
};

export interface Problem {
  status: number;
  message: string;
}

/** An error as the line above the form that was sent, or null when that form does not show it. */
export function formProblem(t: T, err: unknown, form: Form): Problem | null {
  if (!isAppError(err)) return null;
  const message = LINES[err.code]?.(t, err.details, form);
  return message === undefined ? null : { status: ERROR_CODES[err.code].status, message };
}

/** The page an error ends on when no form shows it; any other code is a request this site never makes. */
export function errorPageOf(err: AppError): { status: number; page: ErrorPage | "secret" } {
  return { status: ERROR_CODES[err.code].status, page: PAGES[err.code] ?? "bad_request" };
}
