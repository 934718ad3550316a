import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Config } from "../config.js";
import { configuredOrigin, isLinkHost, type Origin } from "../domain/links.js";

/**
 * The origin of the links in an answer to `req`: HOST and SSL when HOST is set; otherwise the host
 * and scheme the client used. Fastify reads both from X-Forwarded-Host and X-Forwarded-Proto only
 * when the request comes through a trusted proxy (TRUSTED_PROXY_*), else from the Host header and
 * the socket. SSL=true still forces https, as it does with HOST.
 */
export function requestOrigin(config: Pick<Config, "ssl" | "host">, req: FastifyRequest): Origin {
  return (
    configuredOrigin(config) ?? {
      scheme: config.ssl || req.protocol === "https" ? "https" : "http",
      host: req.host.toLowerCase(),
    }
  );
}

/**
 * With HOST unset, every request's host becomes links, so one that is not a plain host name with
 * an optional port (`a b`, `x@evil`, `host/path`, an empty one) is refused before anything runs:
 * nothing is created for an answer that could not show its link. With HOST set, the Host header
 * shapes nothing and is not checked.
 */
export function checkRequestHost(app: FastifyInstance, config: Pick<Config, "host">): void {
  if (config.host !== null) return;
  app.addHook("onRequest", async (req, reply) => {
    // An HTTP/1.0 request may come without a Host header at all.
    if (typeof req.host === "string" && isLinkHost(req.host)) return;
    return reply
      .code(400)
      .type("text/plain; charset=utf-8")
      .send("Bad Request: the Host header must be a host name with an optional port\n");
  });
}
