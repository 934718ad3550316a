import type { FastifyInstance } from "fastify";
import { buildApp } from "./app.js";
import type { Config } from "./config.js";
import { createRuntime, type RuntimeOptions } from "./runtime.js";
import { startSweeper } from "./sweeper.js";

export interface RunningServer {
  app: FastifyInstance;
  config: Config;
  url: string;
  stop(): Promise<void>;
}

/** Starts the whole server: runtime, app, sweeper, listener. Used by main.ts and by tests. */
export async function startServer(options: RuntimeOptions = {}): Promise<RunningServer> {
  const runtime = await createRuntime(options);
  const { deps, root } = runtime;
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
  const address = await app.listen({ port: config.port, host: config.bindAddress });
  log.info(
    { address, host: config.host, store: deps.store.name, dataDir: config.dataDir },
    "onetime listening",
  );
  return {
    app,
    config,
    url: address,
    async stop() {
      sweeper.stop();
      await app.close();
      await runtime.close();
    },
  };
}
