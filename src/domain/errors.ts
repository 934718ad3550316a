// One error type for everything the user is told. `code` is stable; each surface maps codes to its
// own wording and status in exactly one place (src/http/v1/errors.ts for the v1 API).

export type ErrorCode =
  | "unknown_secret"
  | "not_authorized"
  | "auth_disabled"
  | "nothing_to_share"
  | "recipient_needs_account"
  | "undeliverable_recipient"
  | "secret_too_large"
  | "passphrase_required"
  | "passphrase_too_short"
  | "passphrase_too_long"
  | "passphrase_mismatch"
  | "rate_limited"
  | "bad_payload"
  | "store_unavailable";

export class OtsError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Values the message needs (sizes, the key from the URL, an address); never a secret. */
    readonly details: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = "OtsError";
  }
}

/** The store could not be reached or answered with an error: nothing was changed. */
export class StoreUnavailableError extends Error {
  constructor(cause?: unknown) {
    super("store unavailable", { cause });
    this.name = "StoreUnavailableError";
  }
}
