import cookie from "@fastify/cookie";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from "fastify";
import type { Deps } from "../actions/deps.js";
import { lenientQuery } from "../http/body.js";
import { drainRefusedBodies } from "../http/drain.js";
import { logUnexpected } from "../http/errors.js";
import { OPS_ROUTES, opsRoutes } from "../http/ops.js";
import { checkRequestHost } from "../http/origin.js";
import { redactPath } from "../http/redact.js";
import { NOT_FOUND, sendV1Error } from "../http/v1/errors.js";
import { v1Plugin } from "../http/v1/plugin.js";
import { createWeb } from "../http/web/plugin.js";
import { clientErrorHandler } from "./client-error.js";
import { capConnections, connectionOptions } from "./connections.js";

// Scripts, styles and images from this origin only, no inline script or style, no framing, forms
// posted only back here: an injected tag can neither run nor send a secret elsewhere.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/** Builds the HTTP application from its dependencies: surfaces, security headers, error handling. */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log,
    logController: new RedactedRequestLog(),
    clientErrorHandler: clientErrorHandler(deps.log),
    trustProxy: trustProxy(deps.config.trustProxy),
    bodyLimit: deps.config.bodyLimit,
    ...connectionOptions(deps.config.connections),
    // On close, sockets idle between keep-alive requests are dropped at once, so they cannot hold
    // the shutdown open; a socket with a request in flight is left to finish it.
    forceCloseConnections: "idle",
    routerOptions: { maxParamLength: 8192, ignoreTrailingSlash: true, querystringParser: lenientQuery },
    // Malformed URLs (bad percent-encoding in the path) name no resource: a plain not-found.
    frameworkErrors: (_err, _req, reply) => {
      sendV1Error(reply, NOT_FOUND);
    },
  });

  capConnections(app.server, deps.config.connections);
  checkRequestHost(app, deps.config);
  const hsts = deps.config.ssl;
  await app.register(cookie);
  app.addHook("onSend", async (_req, reply) => {
    // Only the content-hashed assets choose their own caching; everything else may hold a key.
    if (!reply.hasHeader("cache-control")) reply.header("cache-control", "no-store");
    reply.header("x-content-type-options", "nosniff");
    reply.header("referrer-policy", "no-referrer");
    reply.header("x-frame-options", "DENY");
    reply.header("content-security-policy", CSP);
    reply.header("cross-origin-opener-policy", "same-origin");
    if (hsts) reply.header("strict-transport-security", "max-age=63072000");
  });

  drainRefusedBodies(app, deps.config.connections.drainLimit);

  const metrics = deps.metrics;
  if (metrics !== undefined) {
    app.addHook("onResponse", async (req, reply) => {
      // The route pattern, never req.url: URLs carry secret and metadata keys.
      const route = req.routeOptions.url ?? "unmatched";
      metrics.request(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    });
  }

  const web = createWeb(deps);
  app.setNotFoundHandler((req, reply) => {
    // A browser asking for a page gets one; API clients and everything else get v1's JSON.
    const wantsPage =
      req.method === "GET" && !req.url.startsWith("/api/") && /text\/html/.test(req.headers.accept ?? "");
    if (wantsPage) return web.notFound(req, reply);
    return sendV1Error(reply, NOT_FOUND);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // Fastify reads the body of a request that matches no route before its not-found handler runs;
    // a body it cannot read there (bad Content-Type, too large) is still a request for nothing.
    if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
      return sendV1Error(reply, NOT_FOUND);
    }
    logUnexpected(req.log, err);
    return reply.code(500).send({ error: "Internal Server Error" });
  });

  await app.register(opsRoutes(deps));
  await app.register(v1Plugin(deps), { prefix: "/api/v1" });
  await app.register(web.plugin);
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
