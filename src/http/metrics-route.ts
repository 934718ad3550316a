import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Metrics } from "../metrics.js";

/**
 * `GET /metrics`, the Prometheus scrape. With a token, only `Authorization: Bearer <token>` gets it;
 * anything else gets 401 and a `WWW-Authenticate` challenge. Without one (the private METRICS_LISTEN
 * listener only), anyone who reaches it does.
 */
export function metricsRoute(metrics: Metrics, token: string | null) {
  const expected = token === null ? null : digest(token);
  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/metrics", async (req: FastifyRequest, reply: FastifyReply) => {
      if (expected !== null && !bearerMatches(req.headers.authorization, expected)) {
        reply.header("www-authenticate", 'Bearer realm="metrics"');
        return reply.code(401).send({ message: "Not authorized" });
      }
      reply.type(metrics.contentType);
      return metrics.render();
    });
  };
}

// Both sides hashed to one length, so the comparison takes the same time whatever was sent.
function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer +(\S+)\s*$/i.exec(header ?? "");
  return match !== null && timingSafeEqual(digest(match[1] ?? ""), expected);
}
