import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Deps } from "./actions/deps.js";
import { lenientQuery } from "./http/body.js";
import { logUnexpected } from "./http/errors.js";
import { OPS_ROUTES, opsRoutes } from "./http/ops.js";
import { redactPath } from "./http/redact.js";
import { NOT_FOUND } from "./http/v1/errors.js";
import { v1Plugin } from "./http/v1/plugin.js";

/** Builds the HTTP application from its dependencies: surfaces, security headers, error handling. */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log,
    logController: new RedactedRequestLog(),
    trustProxy: trustProxy(deps.config.trustProxy),
    bodyLimit: deps.config.bodyLimit,
    // On close, sockets idle between keep-alive requests are dropped at once, so they cannot hold
    // the shutdown open; a socket with a request in flight is left to finish it.
    forceCloseConnections: "idle",
    routerOptions: { maxParamLength: 8192, ignoreTrailingSlash: true, querystringParser: lenientQuery },
    // Malformed URLs (bad percent-encoding in the path) name no resource: a plain not-found.
    frameworkErrors: (_err, _req, reply) => {
      reply
        .code(404 as never)
        .header("x-ots-intended-status", "404")
        .send(NOT_FOUND as never);
    },
  });

  app.addHook("onSend", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
  });

  const metrics = deps.metrics;
  if (metrics !== undefined) {
    app.addHook("onResponse", async (req, reply) => {
      // The route pattern, never req.url: URLs carry secret and metadata keys.
      const route = req.routeOptions.url ?? "unmatched";
      metrics.request(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  app.setNotFoundHandler((_req, reply) => {
    reply.code(404).header("x-ots-intended-status", "404").send(NOT_FOUND);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // Fastify reads the body of a request that matches no route before its not-found handler runs;
    // a body it cannot read there (bad Content-Type, too large) is still a request for nothing.
    if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(404).header("x-ots-intended-status", "404").send(NOT_FOUND);
    }
    logUnexpected(req.log, err);
    return reply.code(500).send({ error: "Internal Server Error" });
  });

  await app.register(opsRoutes(deps));
  await app.register(v1Plugin(deps), { prefix: "/api/v1" });
  return app as unknown as FastifyInstance;
}

/**
 * Fastify's own request lines carry the full URL (query string, bearer keys). Ours: one line per
 * request with the redacted path, the status and the time; nothing from headers or the body.
 */
class RedactedRequestLog extends LogController {
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
}

/** A hop count becomes "trust the nearest N addresses"; lists and booleans pass through. */
function trustProxy(
  setting: boolean | string | number,
): boolean | string | ((addr: string, hop: number) => boolean) {
  return typeof setting === "number" ? (_addr, hop) => hop < setting : setting;
}
