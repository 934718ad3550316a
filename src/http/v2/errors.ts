import type { FastifyReply } from "fastify";
import type { AppError, ErrorCode, ErrorDetails } from "../../domain/errors.js";
import { retryAfterOf } from "../errors.js";

// API v2 errors: real statuses and `{error, error_type, field?}` as upstream's modern errors. The
// table below is the only place that words a catalogue code for v2; its error_type strings are
// stable (docs/api-v2.md lists them), clients key on the status.

export interface V2ErrorBody {
  error: string;
  error_type: string;
  field?: string;
}

export interface V2Error {
  status: number;
  body: V2ErrorBody;
  /** Seconds, for the Retry-After header of a 429. */
  retryAfter?: number;
}

interface Entry {
  status: number;
  type: string;
  message: (details: ErrorDetails) => string;
  /** The parameter at fault, when the code names one. */
  field?: string;
}

/**
 * Every code a v2 route can meet. The others (web accounts, mail) never reach this surface; a v2
 * route that met one would answer 500 and log it.
 */
export const V2_ERRORS: { [C in ErrorCode]?: Entry } = {
  // No key in the body: unknown, read, burned, expired and mistyped keys answer byte for byte alike.
  unknown_secret: { status: 404, type: "RecordNotFound", message: () => "Record not found" },
  wrong_passphrase: {
    status: 422,
    type: "IncorrectPassphrase",
    message: () => "Incorrect passphrase",
    field: "passphrase",
  },
  passphrase_mismatch: {
    status: 422,
    type: "IncorrectPassphrase",
    message: () => "Incorrect passphrase",
    field: "passphrase",
  },
  nothing_to_share: {
    status: 422,
    type: "ValidationError",
    message: () => "You did not provide anything to share",
    field: "secret",
  },
  secret_too_large: {
    status: 413,
    type: "PayloadTooLarge",
    message: (d) => `Secret value exceeds the maximum size of ${d.max} bytes`,
    field: "secret",
  },
  file_too_large: {
    status: 413,
    type: "PayloadTooLarge",
    message: (d) => `File exceeds the maximum size of ${d.max} bytes`,
    field: "file",
  },
  // Only API v1 asks a reveal without files (v2 always carries them); listed for completeness.
  holds_file: {
    status: 409,
    type: "HoldsFile",
    message: () => "This secret holds a file, which this request cannot carry",
  },
  unknown_request: { status: 404, type: "RecordNotFound", message: () => "Request not found" },
  request_closed: {
    status: 410,
    type: "RequestClosed",
    message: () => "This request takes no more answers",
  },
  client_encrypted: {
    status: 409,
    type: "ClientEncrypted",
    message: () => "This secret was encrypted by its sender: reveal it with its proof (secret.proof)",
  },
  zero_knowledge_off: {
    status: 422,
    type: "ValidationError",
    message: () => "This server does not accept client-encrypted secrets",
    field: "ciphertext",
  },
  zero_knowledge_required: {
    status: 422,
    type: "ValidationError",
    message: () => "This server accepts only client-encrypted secrets (secret.ciphertext)",
    field: "secret",
  },
  passphrase_required: {
    status: 422,
    type: "ValidationError",
    message: () => "A passphrase is required for all secrets",
    field: "passphrase",
  },
  passphrase_too_short: {
    status: 422,
    type: "ValidationError",
    message: (d) => `Passphrase must be at least ${d.min} characters long`,
    field: "passphrase",
  },
  passphrase_too_long: {
    status: 422,
    type: "ValidationError",
    message: (d) => `Passphrase must be no more than ${d.max} characters long`,
    field: "passphrase",
  },
  recipient_needs_account: {
    status: 401,
    type: "Unauthorized",
    message: () => "An account is required to send emails.",
    field: "recipient",
  },
  notify_needs_account: {
    status: 401,
    type: "Unauthorized",
    message: () => "An account is required for read notifications.",
    field: "notify",
  },
  notify_unverified: {
    status: 403,
    type: "Forbidden",
    message: () => "Confirm your email address before asking for read notifications.",
    field: "notify",
  },
  notify_unavailable: {
    status: 422,
    type: "ValidationError",
    message: () => "This server sends no email: read notifications are unavailable.",
    field: "notify",
  },
  undeliverable_recipient: {
    status: 422,
    type: "ValidationError",
    message: () => "Undeliverable email address",
    field: "recipient",
  },
  not_authorized: { status: 401, type: "Unauthorized", message: () => "Not authorized" },
  signin_to_read: {
    status: 401,
    type: "Unauthorized",
    message: () => "This server lets only accounts read secrets: send your API token",
  },
  auth_disabled: {
    status: 403,
    type: "Forbidden",
    message: () => "Accounts are turned off on this server: send no credentials",
  },
  rate_limited: { status: 429, type: "LimitExceeded", message: () => "Rate limit exceeded" },
  bad_payload: { status: 400, type: "BadRequest", message: () => "The body cannot be read" },
  unsupported_media_type: {
    status: 415,
    type: "UnsupportedMediaType",
    message: () => "Send application/json or application/x-www-form-urlencoded",
  },
  invalid_param: {
    status: 422,
    type: "ValidationError",
    // A number out of range names the range (views: from 1 to the caller's ceiling); a share domain
    // outside the list names the list.
    message: (d) =>
      `Invalid parameter: ${d.field}${d.max === undefined ? "" : ` (from 1 to ${d.max})`}${
        d.allowed === undefined ? "" : ` (one of: ${d.allowed})`
      }`,
  },
  store_unavailable: { status: 503, type: "ServiceUnavailable", message: () => "Service unavailable" },
  server_busy: { status: 503, type: "ServiceUnavailable", message: () => "Service busy" },
};

/** The codes whose answer says when to come back (Retry-After). */
const COME_BACK = new Set<ErrorCode>(["rate_limited", "server_busy"]);

/**
 * The v2 answer to an error, or null for a code v2 has no words for (then: an unexpected error).
 * A refusal that does not say when to come back gets `windowSeconds` (RATE_LIMIT_WINDOW): the
 * longest a rate limit lasts.
 */
export function v2Error(err: AppError, windowSeconds: number): V2Error | null {
  const entry = V2_ERRORS[err.code];
  if (entry === undefined) return null;
  const body: V2ErrorBody = { error: entry.message(err.details), error_type: entry.type };
  const field = entry.field ?? (typeof err.details.field === "string" ? err.details.field : undefined);
  if (field !== undefined) body.field = field;
  const answer: V2Error = { status: entry.status, body };
  if (COME_BACK.has(err.code)) answer.retryAfter = retryAfterOf(err) ?? windowSeconds;
  return answer;
}

export const UNEXPECTED: V2Error = {
  status: 500,
  body: { error: "An unexpected error occurred", error_type: "InternalError" },
};

/** No route here: the answer to any path under /api/v2 that names nothing. */
export const NOT_FOUND: V2Error = { status: 404, body: { error: "Not Found", error_type: "NotFound" } };

/** Writes a v2 error. Every v2 error reply goes through here. */
export function sendV2Error(reply: FastifyReply, answer: V2Error): FastifyReply {
  if (answer.retryAfter !== undefined) reply.header("retry-after", String(answer.retryAfter));
  return reply.code(answer.status).send(answer.body);
}

/** The paths API v2 answers for, the not-found ones included. */
export function isV2Path(url: string): boolean {
  return url === "/api/v2" || url.startsWith("/api/v2/") || url.startsWith("/api/v2?");
}
