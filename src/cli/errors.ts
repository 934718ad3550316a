import { type ErrorCode, type ErrorDetails, isAppError } from "../domain/errors.js";

// The command line's one mapping of error codes to words. Every failure of a command exits with
// status 1 (a usage error exits with 2). stderr is the operator's own terminal, not a shared log,
// and no secret passes through these commands, so a backend's error is shown whole.

/** The codes the account commands meet, in the words of the command line. */
const WORDS: { [C in ErrorCode]?: (d: ErrorDetails) => string } = {
  notify_needs_account: () => "read notifications need an account: set ONETIME_USER and ONETIME_TOKEN",
  notify_unverified: () => "confirm your account's address before asking for read notifications",
  notify_unavailable: () => "this server sends no email: --notify is unavailable",
  bad_email: (d) => `not an email address: ${d.email}`,
  account_exists: (d) => `an account already exists for ${d.address}`,
  no_account: (d) => `no account for ${d.email}`,
};

/** The line (without "onetime: ") for `task` ("purge", "account create"…) failing with `err`. */
export function failureLine(task: string, err: unknown): string {
  if (isAppError(err)) {
    const words = WORDS[err.code];
    if (words !== undefined) return words(err.details);
    // store_unavailable and anything unforeseen: the code, then what the backend said.
    return `${task} failed: ${err.code}${err.cause === undefined ? "" : `: ${described(err.cause)}`}`;
  }
  return `${task} failed: ${described(err)}`;
}

/** An error by its code (SQLITE_BUSY, a Redis reply…) and message. */
function described(err: unknown): string {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  return `${typeof code === "string" ? `${code}: ` : ""}${String(message)}`;
}
