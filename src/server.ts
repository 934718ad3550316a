import cluster from "node:cluster";
import type { FastifyInstance } from "fastify";
import type { Deps } from "./actions/deps.js";
import { buildApp } from "./app.js";
import type { Config } from "./config.js";
import { configuredOrigin, siteUrl } from "./domain/links.js";
import { createMailWorker } from "./mail/outbox.js";
import { createMailer } from "./mail/transport.js";
import { createRuntime, type RuntimeOptions } from "./runtime.js";
import { startSweeper } from "./sweeper.js";

export interface RunningServer {
  app: FastifyInstance;
  config: Config;
  deps: Deps;
  url: string;
  stop(): Promise<void>;
}

/** Starts the whole server: runtime, app, sweeper, listener. Used by main.ts and by tests. */
export async function startServer(options: RuntimeOptions = {}): Promise<RunningServer> {
  const runtime = await createRuntime(options);
  const { root } = runtime;
  // A cluster worker (WORKERS > 1) tags every line with its pid: N processes share one log stream.
  const deps = cluster.isWorker
    ? { ...runtime.deps, log: runtime.deps.log.child({ pid: process.pid }) }
    : runtime.deps;
  const { config, log } = deps;
  if (root.source === "generated") {
    log.warn(
      { path: root.path },
      "no SECRET set: generated a new root key; back it up with the data directory",
    );
  } else if (root.source === "file") {
    log.info({ path: root.path }, "root key loaded from the data directory");
  }
  const app = await buildApp(deps);
  const sweeper = deps.store.expiresNatively
    ? { stop() {} }
    : startSweeper(deps, config.sweepIntervalSeconds);
  const smtp = config.mail.smtp;
  const mailWorker =
    smtp === null
      ? null
      : createMailWorker(
          { store: deps.store, log, now: deps.now, key: deps.webKeys.mail, config: config.mail },
          createMailer(smtp, config.mail),
        );
  mailWorker?.start();
  const address = await app.listen({ port: config.port, host: config.bindAddress });
  log.info(
    {
      address,
      links: linkOrigin(config),
      store: deps.store.name,
      dataDir: config.dataDir,
      ...(cluster.isWorker ? {} : { pid: process.pid }),
    },
    "onetime listening",
  );
  return {
    app,
    config,
    deps,
    url: address,
    async stop() {
      sweeper.stop();
      await app.close();
      await mailWorker?.stop();
      await runtime.close();
    },
  };
}

function linkOrigin(config: Config): string {
  const origin = configuredOrigin(config);
  return origin === null ? "each request's own host (HOST is unset)" : siteUrl(origin, "");
}
