import cluster from "node:cluster";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../actions/deps.js";
import type { Config } from "../config.js";
import { configuredOrigin, siteUrl } from "../domain/links.js";
import { createMailWorker } from "../mail/outbox.js";
import { createMailer } from "../mail/transport.js";
import { storeLocation } from "../store/open.js";
import { buildApp } from "./app.js";
import { logRootKey } from "./log.js";
import { startMetricsListener } from "./metrics-listener.js";
import { createRuntime, type RuntimeOptions } from "./runtime.js";
import { startSweeper } from "./sweeper.js";
import { createWebhookWorker } from "./webhook-worker.js";

export interface RunningServer {
  app: FastifyInstance;
  config: Config;
  deps: Deps;
  url: string;
  /** The METRICS_LISTEN scrape address, when there is one. */
  metricsUrl: string | null;
  stop(): Promise<void>;
}

/** Starts the whole server: runtime, app, sweeper, mail and webhook workers, listener. Used by serve() and by tests. */
export async function startServer(options: RuntimeOptions = {}): Promise<RunningServer> {
  const runtime = await createRuntime(options);
  const { deps } = runtime;
  const { config, log } = deps;
  logRootKey(log, runtime.root);
  const app = await buildApp(deps);
  const metricsListener =
    deps.metrics === undefined ? null : await startMetricsListener(config, deps.metrics);
  const sweeper = startSweeper(deps, config.sweepIntervalSeconds);
  const smtp = config.mail.smtp;
  const mailWorker =
    smtp === null
      ? null
      : createMailWorker(
          { store: deps.store, log, now: deps.now, key: deps.webKeys.mail, config: config.mail },
          createMailer(smtp, config.mail),
        );
  mailWorker?.start();
  // Deliveries already queued still go when WEBHOOKS_ENABLED turns false; nothing new is queued.
  const webhookWorker = createWebhookWorker(deps);
  webhookWorker.start();
  // Fastify logs one line per address that answers (each of the machine's, on 0.0.0.0): say so.
  const address = await app.listen({
    port: config.port,
    host: config.bindAddress,
    listenTextResolver: (url) => `reachable at ${url}`,
  });
  log.info(
    {
      ...whereToReach(config, (app.server.address() as AddressInfo).port),
      store: deps.store.name,
      ...storeLocation(config),
      metrics: metricsWhere(config, metricsListener?.url ?? null),
      ...(cluster.isWorker ? {} : { pid: process.pid }),
    },
    "onetime listening",
  );
  return {
    app,
    config,
    deps,
    url: address,
    metricsUrl: metricsListener?.url ?? null,
    async stop() {
      sweeper.stop();
      await app.close();
      await metricsListener?.close();
      await mailWorker?.stop();
      await webhookWorker.stop();
      await runtime.close();
    },
  };
}

/** Where Prometheus scrapes, for the start-up line; never the token. */
function metricsWhere(config: Config, listenerUrl: string | null): string {
  if (!config.metricsEnabled) return "off (METRICS_ENABLED=false)";
  const where = [
    ...(listenerUrl === null ? [] : [listenerUrl]),
    ...(config.metricsToken === null ? [] : ["/metrics on the public port with METRICS_TOKEN"]),
  ];
  return where.length > 0 ? where.join(", ") : "not served (set METRICS_LISTEN or METRICS_TOKEN)";
}

const EVERY_INTERFACE = new Set(["0.0.0.0", "::", "[::]"]);
const LOOPBACK = new Set(["127.0.0.1", "::1", "[::1]", "localhost"]);

/**
 * Where the server listens and what to open, in the start-up line. Fastify's own address, for a
 * server bound to every interface, is whichever of the machine's addresses it saw first, which
 * says neither that every interface answers nor what a user should type.
 */
function whereToReach(config: Config, port: number): { listen: string; open: string; links: string } {
  const bind =
    config.bindAddress.includes(":") && !config.bindAddress.startsWith("[")
      ? `[${config.bindAddress}]`
      : config.bindAddress;
  const everywhere = EVERY_INTERFACE.has(config.bindAddress);
  const local = LOOPBACK.has(config.bindAddress);
  const scope = everywhere ? " (every network interface)" : local ? " (this machine only)" : "";
  const origin = configuredOrigin(config);
  const here = `http://${everywhere || local ? "localhost" : bind}:${port}/`;
  return {
    listen: `${bind}:${port}${scope}`,
    open: origin === null ? here : siteUrl(origin, "/"),
    links: origin === null ? "each request's own host (HOST is unset)" : siteUrl(origin, ""),
  };
}
