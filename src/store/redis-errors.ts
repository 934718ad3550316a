// What a Redis connection error means, in words an operator can act on. node-redis reports a
// refused password as a plain Error (name "Error", no `code`) whose message starts with the server's
// reply code, so logging `code ?? name` said only "Error". The reply's own text is not logged: the
// fixed reasons below say as much, and nothing from the URL (its password) can reach a log line.

import { AppError } from "../domain/errors.js";

export interface RedisProblem {
  /** The server's reply code (WRONGPASS, NOAUTH…), the socket's (ECONNREFUSED…), or the error's name. */
  code: string;
  /** Set for the codes an operator must act on. */
  reason?: string;
}

const REASONS: Record<string, string> = {
  WRONGPASS: "redis authentication failed: check the user and password in REDIS_URL",
  NOAUTH: "redis authentication failed: the server needs a password (redis://:password@host:port)",
  NOPERM: "the redis user lacks a permission onetime needs",
  ECONNREFUSED: "nothing listens at the redis address",
  ENOTFOUND: "the redis host name does not resolve",
};

export function describeRedisError(err: unknown): RedisProblem {
  const e = err as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
  // The adapters wrap every backend failure as AppError("store_unavailable"): the cause says why.
  if (err instanceof AppError && e.cause !== undefined) return describeRedisError(e.cause);
  const replyCode = typeof e.message === "string" ? /^([A-Z][A-Z_-]{2,})\b/.exec(e.message)?.[1] : undefined;
  const code =
    typeof e.code === "string"
      ? e.code
      : (replyCode ?? (e.cause === undefined ? String(e.name ?? "Error") : describeRedisError(e.cause).code));
  const reason = REASONS[code];
  return reason === undefined ? { code } : { code, reason };
}

/** True when the server refused to let this client in (wrong or missing credentials). */
export function isRedisAuthError(err: unknown): boolean {
  const { code } = describeRedisError(err);
  return code === "WRONGPASS" || code === "NOAUTH";
}
