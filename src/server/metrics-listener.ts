import type { AddressInfo } from "node:net";
import Fastify from "fastify";
import type { Config } from "../config.js";
import { metricsRoute } from "../http/metrics-route.js";
import type { Metrics } from "../metrics.js";
import { capConnections, connectionOptions } from "./connections.js";

export interface MetricsListener {
  /** `http://host:port/metrics`, with the port it got (METRICS_LISTEN may say 0). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * METRICS_LISTEN: a second listener that serves `GET /metrics` and nothing else, so that Prometheus
 * scrapes an address the public never reaches. METRICS_TOKEN, when set, is required here as well.
 * It logs nothing: the scrape comes every few seconds and its answer is the only thing it does.
 */
export async function startMetricsListener(
  config: Config,
  metrics: Metrics,
): Promise<MetricsListener | null> {
  const listen = config.metricsListen;
  if (listen === null) return null;
  // The same timeouts and cap as the public port: a slow client on the private network is no better.
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    ...connectionOptions(config.connections),
  });
  capConnections(app.server, config.connections);
  app.addHook("onSend", async (_req, reply) => {
    reply.header("cache-control", "no-store");
  });
  await app.register(metricsRoute(metrics, config.metricsToken));
  await app.listen({ host: listen.host, port: listen.port });
  const { port } = app.server.address() as AddressInfo;
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host;
  return { url: `http://${host}:${port}/metrics`, close: () => app.close() };
}
