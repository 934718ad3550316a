import type { FastifyBaseLogger } from "fastify";

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
