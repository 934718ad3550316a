import { validateHeaderValue } from "node:http";
import type { FastifyBaseLogger, FastifyError, FastifyReply } from "fastify";
import { AppError, isAppError } from "../domain/errors.js";

/**
 * Fastify's own refusals of a request, in the catalogue's terms, so that each surface maps codes
 * only. A body over the route's limit is secret_too_large (with the secret's limit: what a user can
 * act on), or file_too_large on a route that takes a file (whose limit is mostly the file's); any
 * other 4xx (bad Content-Type, malformed JSON, multipart's part and file limits) is bad_payload.
 * Null for anything else.
 */
export function requestError(
  err: FastifyError,
  secretMaxLength: number,
  /** FILE_MAX_BYTES when the route takes a file; null (the default) when it does not. */
  fileMaxBytes: number | null = null,
): AppError | null {
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
    if (fileMaxBytes !== null) return new AppError("file_too_large", { max: fileMaxBytes });
    return new AppError("secret_too_large", { max: secretMaxLength });
  }
  if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
    return new AppError("bad_payload");
  }
  return null;
}

/** The backend's error code or type behind a store_unavailable (SQLITE_BUSY, ECONNREFUSED…). */
export function causeName(err: AppError): string {
  const cause = err.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.name;
  return typeof cause;
}

/**
 * Logs an unexpected error for the operator without its message, which may quote request data:
 * the type, the code and the stack frames are enough to find the bug.
 */
export function logUnexpected(log: FastifyBaseLogger, err: unknown): void {
  if (!(err instanceof Error)) {
    log.error({ errType: typeof err }, "unexpected error");
    return;
  }
  const frames = (err.stack ?? "").split("\n").slice(1).join("\n");
  log.error({ errType: err.name, code: (err as NodeJS.ErrnoException).code, frames }, "unexpected error");
}

/** The seconds a refusal asks the client to wait (details.retryAfter), or null. */
export function retryAfterOf(err: unknown): number | null {
  if (!isAppError(err)) return null;
  const seconds = err.details.retryAfter;
  return typeof seconds === "number" && Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : null;
}

/** Sets Retry-After when the error says when to come back (the argon2 queue's refusals). */
export function setRetryAfter(reply: FastifyReply, err: unknown): void {
  const seconds = retryAfterOf(err);
  if (seconds !== null) reply.header("retry-after", String(seconds));
}

/**
 * Removes the headers Node would refuse to write (a CR, LF or non-Latin-1 character in a value),
 * before an error handler answers: otherwise its answer fails on the same header and falls through
 * to Fastify's last-resort reply, which carries none of the security headers.
 */
export function dropInvalidHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value === undefined) continue;
    try {
      validateHeaderValue(name, Array.isArray(value) ? value.join(", ") : String(value));
    } catch {
      reply.removeHeader(name);
    }
  }
}
