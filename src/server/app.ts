import cookie from "@fastify/cookie";
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import type { Deps } from "../actions/deps.js";
import { lenientQuery } from "../http/body.js";
import { drainRefusedBodies } from "../http/drain.js";
import { dropInvalidHeaders, logUnexpected } from "../http/errors.js";
import { opsRoutes } from "../http/ops.js";
import { checkRequestHost } from "../http/origin.js";
import { securityHeaders, setSecurityHeaders } from "../http/security-headers.js";
import { NOT_FOUND, sendV1Error } from "../http/v1/errors.js";
import { v1Plugin } from "../http/v1/plugin.js";
import { isV2Path, sendV2Error, NOT_FOUND as V2_NOT_FOUND } from "../http/v2/errors.js";
import { v2Plugin } from "../http/v2/plugin.js";
import { createWeb } from "../http/web/plugin.js";
import { clientErrorHandler, expectationFailed } from "./client-error.js";
import { capConnections, connectionOptions } from "./connections.js";
import { RedactedRequestLog } from "./request-log.js";

/** Builds the HTTP application from its dependencies: surfaces, security headers, error handling. */
export async function buildApp(deps: Deps): Promise<FastifyInstance> {
  const headers = securityHeaders({ hsts: deps.config.ssl });
  const connection = connectionOptions(deps.config.connections);
  const app = Fastify({
    loggerInstance: deps.log,
    logController: new RedactedRequestLog(),
    clientErrorHandler: clientErrorHandler(deps.log, headers),
    trustProxy: trustProxy(deps.config.trustProxy),
    bodyLimit: deps.config.bodyLimit,
    ...connection,
    // Node answers an HTTP/1.1 request without a Host header itself, without our headers. With HOST
    // set the header shapes nothing; without it, checkRequestHost refuses the request (400).
    http: { ...connection.http, requireHostHeader: false },
    // On close, sockets idle between keep-alive requests are dropped at once, so they cannot hold
    // the shutdown open; a socket with a request in flight is left to finish it.
    forceCloseConnections: "idle",
    routerOptions: { maxParamLength: 8192, ignoreTrailingSlash: true, querystringParser: lenientQuery },
    // Malformed URLs (bad percent-encoding in the path) name no resource: a plain not-found. This
    // reply skips the onSend hooks, so it gets the security headers here.
    frameworkErrors: (_err, req, reply) => {
      setSecurityHeaders(reply, headers);
      notFound(req, reply);
    },
  });
  app.server.on("checkExpectation", expectationFailed(headers));

  capConnections(app.server, deps.config.connections);
  checkRequestHost(app, deps.config);
  await app.register(cookie);
  app.addHook("onSend", async (_req, reply) => {
    setSecurityHeaders(reply, headers);
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
    return notFound(req, reply);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    // Fastify reads the body of a request that matches no route before its not-found handler runs;
    // a body it cannot read there (bad Content-Type, too large) is still a request for nothing.
    dropInvalidHeaders(reply);
    if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
      return notFound(req, reply);
    }
    logUnexpected(req.log, err);
    return reply.code(500).send({ error: "Internal Server Error" });
  });

  await app.register(opsRoutes(deps));
  await app.register(v1Plugin(deps), { prefix: "/api/v1" });
  await app.register(v2Plugin(deps), { prefix: "/api/v2" });
  await app.register(web.plugin);
  return app as unknown as FastifyInstance;
}

/** A request for nothing: API v2's not-found under /api/v2, v1's everywhere else. */
function notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return isV2Path(req.url) ? sendV2Error(reply, V2_NOT_FOUND) : sendV1Error(reply, NOT_FOUND);
}

/** A hop count becomes "trust the nearest N addresses"; lists and booleans pass through. */
function trustProxy(
  setting: boolean | string | number,
): boolean | string | ((addr: string, hop: number) => boolean) {
  return typeof setting === "number" ? (_addr, hop) => hop < setting : setting;
}
