import type { FastifyInstance } from "fastify";
import type { Deps } from "../actions/deps.js";
import { metricsRoute } from "./metrics-route.js";

/** Probe and scrape routes: polled every few seconds, so their request lines are logged at debug. */
export const OPS_ROUTES: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Operations endpoints, outside /api/v1 and its rate limits. `/healthz` says the process answers;
 * `/readyz` says the store answers too, so a load balancer can hold traffic back without a restart.
 */
export function opsRoutes(deps: Deps) {
  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/healthz", async () => ({ status: "ok" }));

    app.get("/readyz", async (_req, reply) => {
      try {
        await deps.store.ping();
        return { status: "ready" };
      } catch (err) {
        // The store's own error can name hosts or paths: log its type, answer generically.
        deps.log.warn({ store: deps.store.name, errType: (err as Error).name }, "readiness check failed");
        return reply.code(503).send({ status: "unavailable" });
      }
    });

    // On the public port only behind METRICS_TOKEN; otherwise it is not there (METRICS_LISTEN
    // serves it on a private address).
    const { metrics } = deps;
    const token = deps.config.metricsToken;
    if (metrics !== undefined && token !== null) await app.register(metricsRoute(metrics, token));
  };
}
