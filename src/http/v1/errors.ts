import type { ErrorCode, OtsError } from "../../domain/errors.js";

export interface V1Error {
  /** The status a modern client should understand; the wire status is always 404. */
  intended: number;
  body: Record<string, string>;
}

/** The v1 wording of every domain error: exact strings, because clients compare them. */
export function v1Error(err: OtsError, path: string): V1Error {
  const d = err.details;
  const table: Record<ErrorCode, () => V1Error> = {
    unknown_secret: () => ({
      intended: 404,
      body: { message: "Unknown secret", secret_key: String(d.key ?? "") },
    }),
    not_authorized: () => ({ intended: 401, body: { message: "Not authorized" } }),
    auth_disabled: () => ({ intended: 404, body: { message: `${path} is not available` } }),
    nothing_to_share: () => ({ intended: 400, body: { message: "You did not provide anything to share" } }),
    recipient_needs_account: () => ({
      intended: 401,
      body: { message: "An account is required to send emails." },
    }),
    undeliverable_recipient: () => ({
      intended: 400,
      body: { message: `Undeliverable email address: ${d.address}` },
    }),
    secret_too_large: () => ({
      intended: 413,
      body: { message: `Secret value exceeds the maximum size of ${d.max} bytes` },
    }),
    passphrase_required: () => ({
      intended: 400,
      body: { message: "A passphrase is required for all secrets" },
    }),
    passphrase_too_short: () => ({
      intended: 400,
      body: { message: `Passphrase must be at least ${d.min} characters long` },
    }),
    passphrase_too_long: () => ({
      intended: 400,
      body: { message: `Passphrase must be no more than ${d.max} characters long` },
    }),
    passphrase_mismatch: () => ({ intended: 403, body: { message: "Double check that passphrase" } }),
    rate_limited: () => ({ intended: 429, body: { message: "Cripes! You have been rate limited." } }),
    bad_payload: () => ({ intended: 400, body: { message: "Incorrect payload format" } }),
    store_unavailable: () => UNAVAILABLE,
  };
  return table[err.code]();
}

export const UNAVAILABLE: V1Error = { intended: 503, body: { message: "We'll be back shortly!" } };
export const UNEXPECTED: V1Error = { intended: 500, body: { message: "An unexpected error occurred :[" } };
export const NOT_FOUND = { error: "Not Found" } as const;
