import { type FastifyReply, type FastifyRequest, LogController } from "fastify";
import { OPS_ROUTES } from "../http/ops.js";
import { redactPath } from "../http/redact.js";

/**
 * Every line Fastify itself writes about a request. Its own carry the full URL (query string,
 * bearer keys) and error messages that may quote request data. Ours: one line per request with the
 * redacted path, the status and the time, and for Fastify's last-resort error paths the error's type
 * and code; nothing from the query string, the headers or the body.
 */
export class RedactedRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(_err: Error | null, req: FastifyRequest, reply: FastifyReply): void {
    const probe = OPS_ROUTES.has(req.routeOptions.url ?? "");
    req.log[probe ? "debug" : "info"](
      {
        method: req.method,
        path: redactPath(req.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      "request",
    );
  }

  override defaultErrorLog(err: Error, req: FastifyRequest, reply: FastifyReply): void {
    const level = reply.statusCode >= 500 ? "error" : "info";
    req.log[level]({ ...about(err), path: redactPath(req.url), status: reply.statusCode }, "request failed");
  }

  override writeHeadError(err: Error, req: FastifyRequest): void {
    req.log.warn({ ...about(err), path: redactPath(req.url) }, "response headers could not be written");
  }

  override streamError(err: Error, req: FastifyRequest): void {
    req.log.info({ ...about(err), path: redactPath(req.url) }, "response stream ended early");
  }

  override routeNotFound(req: FastifyRequest): void {
    req.log.info({ method: req.method, path: redactPath(req.url) }, "route not found");
  }

  override serializerError(err: Error, req: FastifyRequest): void {
    req.log.error({ ...about(err), path: redactPath(req.url) }, "error serialization failed");
  }
}

function about(err: Error | undefined): { errType: string; code: string | undefined } {
  return { errType: err?.name ?? "unknown", code: (err as NodeJS.ErrnoException | undefined)?.code };
}
