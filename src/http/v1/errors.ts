import type { FastifyReply } from "fastify";
import { type AppError, ERROR_CODES, type ErrorCode, type ErrorDetails } from "../../domain/errors.js";
import { retryAfterOf } from "../errors.js";

// The v1 wording of every error code, and the one function that writes a v1 error. v1 answers every
// error with HTTP 404 (as upstream does) and names the status a modern client expects in
// X-OTS-Intended-Status: the code's status from the catalogue. The strings are exact, because
// clients compare them (docs/api-v1.md).

export interface V1Error {
  /** The status a modern client should understand; the wire status is always 404. */
  intended: number;
  /** Seconds for Retry-After, when the refusal says when to come back. */
  retryAfter?: number;
  body: Record<string, string>;
}

type Wording = (details: ErrorDetails, path: string) => string;

/** The codes a v1 route can meet. The others (web accounts, mail) never reach this surface. */
const MESSAGES: { [C in ErrorCode]?: Wording } = {
  unknown_secret: () => "Unknown secret",
  not_authorized: () => "Not authorized",
  signin_to_read: () =>
    "Not authorized: this server lets only accounts read secrets (send your API credentials)",
  auth_disabled: (_d, path) => `${path} is not available`,
  nothing_to_share: () => "You did not provide anything to share",
  recipient_needs_account: () => "An account is required to send emails.",
  undeliverable_recipient: (d) => `Undeliverable email address: ${d.address}`,
  secret_too_large: (d) => `Secret value exceeds the maximum size of ${d.max} bytes`,
  file_too_large: (d) => `File exceeds the maximum size of ${d.max} bytes`,
  // v1 clients know nothing of files: a file secret is not handed out there; nothing was consumed.
  holds_file: () =>
    "This secret holds a file, which API v1 cannot carry: open its link in a browser, or use onetime get or API v2",
  passphrase_required: () => "A passphrase is required for all secrets",
  passphrase_too_short: (d) => `Passphrase must be at least ${d.min} characters long`,
  passphrase_too_long: (d) => `Passphrase must be no more than ${d.max} characters long`,
  passphrase_mismatch: () => "Double check that passphrase",
  // v1 cannot reveal a client secret (it has no proof to send); nothing was consumed.
  client_encrypted: () =>
    "This secret was encrypted by its sender's browser: open its link in a browser, or use onetime get",
  zero_knowledge_required: () =>
    "This server accepts only secrets encrypted by their sender: use its web page or onetime share",
  rate_limited: () => "Cripes! You have been rate limited.",
  bad_payload: () => "Incorrect payload format",
  store_unavailable: () => "We'll be back shortly!",
  server_busy: () => "We'll be back shortly!",
};

/** The v1 answer to an error, or null for a code v1 has no words for (then: an unexpected error). */
export function v1Error(err: AppError, path: string): V1Error | null {
  // As upstream, a wrong passphrase cannot be told from an unknown secret: same status, same body.
  const code = err.code === "wrong_passphrase" ? "unknown_secret" : err.code;
  const wording = MESSAGES[code];
  if (wording === undefined) return null;
  const body: Record<string, string> = { message: wording(err.details, path) };
  if (code === "unknown_secret") body.secret_key = String(err.details.key ?? "");
  const answer: V1Error = { intended: ERROR_CODES[code].status, body };
  const retryAfter = retryAfterOf(err);
  if (retryAfter !== null) answer.retryAfter = retryAfter;
  return answer;
}

export const UNEXPECTED: V1Error = { intended: 500, body: { message: "An unexpected error occurred :[" } };
/** No route here: the answer to any path (or malformed URL, or unreadable body) that names nothing. */
export const NOT_FOUND: V1Error = { intended: 404, body: { error: "Not Found" } };

/** Writes a v1 error: HTTP 404 with X-OTS-Intended-Status. Every v1-style error reply goes through here. */
export function sendV1Error(reply: FastifyReply, answer: V1Error): FastifyReply {
  if (answer.retryAfter !== undefined) reply.header("retry-after", String(answer.retryAfter));
  return reply.code(404).header("x-ots-intended-status", String(answer.intended)).send(answer.body);
}
