// The one error type for everything a caller can be told, and its catalogue of codes. A code is
// stable: surfaces and tests compare it, never the message. Each surface words the codes in exactly
// one place: src/http/v1/errors.ts (v1's exact strings), src/http/v2/errors.ts (v2's statuses and
// error_types), src/http/web/messages.ts (the pages' text)
// and src/cli/errors.ts (the command line). Anything thrown that is not an AppError is a bug, and
// surfaces answer it as "unexpected".

interface CodeSpec {
  /** The HTTP status that names this failure; every surface's default. */
  status: number;
  /** What happened, and what `details` carries. */
  meaning: string;
}

export const ERROR_CODES = {
  // Secrets and receipts
  unknown_secret: {
    status: 404,
    meaning:
      "No such secret or receipt: never made, already read, burned, expired, or a mistyped key (details.key).",
  },
  wrong_passphrase: {
    status: 403,
    meaning:
      "The secret asks for a passphrase and this one is wrong or missing; nothing was consumed (details.key).",
  },
  passphrase_mismatch: {
    status: 403,
    meaning: "Burning a receipt whose secret has a passphrase: wrong or missing; nothing was burned.",
  },
  nothing_to_share: { status: 400, meaning: "A share with no secret in it." },
  secret_too_large: {
    status: 413,
    meaning: "The secret (or the whole body) is over the limit (details.max bytes).",
  },
  file_too_large: {
    status: 413,
    meaning:
      "The secret's file (or a body bringing one) is over FILE_MAX_BYTES (details.max bytes); nothing was stored.",
  },
  holds_file: {
    status: 409,
    meaning:
      "The secret holds a file, which this surface (API v1) cannot hand out: it is revealed by API v2, the web page or onetime get; nothing was consumed (details.key).",
  },
  passphrase_required: { status: 400, meaning: "This server asks a passphrase for every secret." },
  passphrase_too_short: { status: 400, meaning: "The passphrase has fewer than details.min characters." },
  passphrase_too_long: { status: 400, meaning: "The passphrase has more than details.max characters." },
  recipient_needs_account: {
    status: 401,
    meaning: "Mailing a link to a recipient needs a signed-in account.",
  },
  notify_needs_account: {
    status: 401,
    meaning: "Read notifications go to an account's address: asking for them needs a signed-in account.",
  },
  notify_unverified: {
    status: 403,
    meaning: "Read notifications need the account's address confirmed first (the sign-up mail's link).",
  },
  notify_unavailable: {
    status: 422,
    meaning: "This server sends no mail (SMTP_HOST is unset): it cannot notify anyone.",
  },
  // Webhooks (docs/webhooks.md)
  webhook_url_refused: {
    status: 400,
    meaning:
      "A webhook endpoint's URL is refused (details.reason: bad_url, credentials_in_url, http_not_allowed, refused_address).",
  },
  webhook_events_none: { status: 400, meaning: "A webhook endpoint must subscribe to at least one event." },
  webhooks_full: {
    status: 409,
    meaning: "The account has WEBHOOK_MAX_ENDPOINTS endpoints already (details.max).",
  },
  webhooks_off: { status: 404, meaning: "This server has webhooks turned off (WEBHOOKS_ENABLED=false)." },
  no_webhook: { status: 404, meaning: "The account has no such webhook endpoint." },
  client_encrypted: {
    status: 409,
    meaning:
      "The secret was encrypted by its sender's browser or terminal: it is revealed only with its reveal proof (API v2, the pages' script, onetime get); nothing was consumed (details.key).",
  },
  zero_knowledge_off: {
    status: 400,
    meaning: "A client-encrypted secret sent to a server whose ZERO_KNOWLEDGE is off; nothing was stored.",
  },
  zero_knowledge_required: {
    status: 400,
    meaning:
      "A plaintext secret sent to a server whose ZERO_KNOWLEDGE is required: only client-encrypted secrets are accepted.",
  },
  // Secret requests
  unknown_request: {
    status: 404,
    meaning: "No such request: never made, a mistyped key, or gone with its last answer's receipt.",
  },
  request_closed: {
    status: 410,
    meaning:
      "The request takes no more answers: it has all it asked for, expired, or was closed (details.state); nothing was stored.",
  },
  undeliverable_recipient: { status: 400, meaning: "A recipient that cannot be mailed (details.address)." },

  // Callers and accounts
  not_authorized: { status: 401, meaning: "No valid account credentials where they are required." },
  signin_to_read: {
    status: 401,
    meaning:
      "READ_POLICY=signed-in: only a signed-in account (or an API token) may read a secret; nothing was consumed (details.key).",
  },
  auth_disabled: {
    status: 404,
    meaning: "Accounts are turned off on this server, and credentials were sent.",
  },
  signup_closed: { status: 403, meaning: "Sign-up is closed." },
  signup_domain: { status: 400, meaning: "Sign-up is limited to the addresses at details.domains." },
  bad_email: { status: 400, meaning: "Not an email address (details.email, as given)." },
  account_exists: { status: 409, meaning: "An account already has this address (details.address)." },
  no_account: { status: 404, meaning: "No account has this address (details.email, as given)." },
  password_too_short: { status: 400, meaning: "A new password with fewer than details.min characters." },
  password_too_long: { status: 400, meaning: "A new password with more than details.max characters." },
  bad_credentials: {
    status: 401,
    meaning: "Signing in: wrong address or password, alike so that addresses cannot be probed.",
  },
  wrong_password: {
    status: 403,
    meaning: "A signed-in account confirming a change with a wrong current password; nothing changed.",
  },
  wrong_confirmation: {
    status: 403,
    meaning: "Deleting an account without a password: the typed address is not its own; nothing changed.",
  },
  unverified: { status: 403, meaning: "The account's address is not confirmed yet." },
  account_disabled: {
    status: 403,
    meaning: "Signing in to an account an admin disabled (told only once the password is right).",
  },
  link_invalid: { status: 400, meaning: "A mailed link that was used, expired or cut short." },
  sso_refused: {
    status: 403,
    meaning:
      "A single sign-on that did not sign in: details.reason is flow (the provider's answer failed a check: state, code, issuer, audience, expiry, nonce, signature), unverified (the provider does not vouch for the address), domain (not in OIDC_ALLOWED_DOMAINS, details.domains) or no_account (none, and OIDC_AUTO_CREATE is off).",
  },
  sso_unavailable: {
    status: 503,
    meaning: "The OpenID Connect provider could not be reached or its discovery document read.",
  },
  local_auth_off: { status: 404, meaning: "Password sign-in and sign-up are off here (AUTH_LOCAL=false)." },

  // Admins
  admin_only: { status: 403, meaning: "An admin page or action, asked by an account that is not an admin." },
  stale_signin: {
    status: 403,
    meaning: "An admin action that changes something, from a sign-in older than ADMIN_SIGNIN_MAX_AGE.",
  },
  admin_self: {
    status: 403,
    meaning: "An admin disabling or deleting their own account from the admin pages (the command line can).",
  },

  // Limits, input and the parts the server depends on
  rate_limited: {
    status: 429,
    meaning:
      "A rate limit, a lock (wrong passphrases, failed sign-ins) or the caller's share of the argon2 queue refused this; each one is counted (details.retryAfter: seconds, when known).",
  },
  server_busy: {
    status: 503,
    meaning:
      "Too many passphrase and password checks are waiting on this server; details.retryAfter says when to come back (seconds).",
  },
  bad_payload: { status: 400, meaning: "A body or query that cannot be read as parameters." },
  unsupported_media_type: {
    status: 415,
    meaning: "A body in a Content-Type this surface does not read (API v2: JSON and forms only).",
  },
  invalid_param: {
    status: 422,
    meaning:
      "A parameter of the wrong type or out of its range (details.field names it, API v2); a share_domain outside SHARE_DOMAINS names the hosts allowed (details.allowed).",
  },
  store_unavailable: {
    status: 503,
    meaning:
      "The store could not be reached or failed; nothing was changed (the backend error is the cause).",
  },
  mail_refused: {
    status: 502,
    meaning: "The SMTP server refused the mail for good (5xx); details.reason names it (smtp_550).",
  },
  mail_failed: {
    status: 502,
    meaning:
      "The mail was not sent this time and may be on a retry; details.reason names why (ECONNREFUSED).",
  },
} as const satisfies Record<string, CodeSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Values a message needs (sizes, the key from the URL, an address); never a secret or a password. */
export type ErrorDetails = Record<string, string | number>;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(code, options);
    this.name = "AppError";
  }
}

/** True for an AppError, and when `code` is given, for one with that code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
