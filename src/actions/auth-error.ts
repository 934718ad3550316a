// The errors of the web's account forms (sign-up, sign-in, mailed links, account page).

export type AuthErrorCode =
  | "signup_closed"
  | "signup_domain"
  | "bad_email"
  | "account_exists"
  | "password_too_short"
  | "password_too_long"
  | "bad_credentials"
  | "unverified"
  | "link_invalid";

/** What the account forms tell the user; the web maps each code to a message. */
export class AuthError extends Error {
  constructor(
    readonly code: AuthErrorCode,
    readonly details: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = "AuthError";
  }
}
