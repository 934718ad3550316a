import cluster from "node:cluster";
import type { Branding } from "../branding/brand.js";
import { loadBranding } from "../branding/load.js";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { startServer } from "./start.js";
import { runPrimary } from "./workers.js";

/**
 * Runs the server as this process's whole job: `npm start` (src/main.ts) and `onetime serve` call
 * this, with the configuration in process.env. Configuration problems end start-up with one line
 * each; SIGTERM and SIGINT stop accepting, let in-flight requests finish, then close the store. A
 * request that outlasts SHUTDOWN_TIMEOUT does not hold the process: it exits anyway, with status 1.
 * With WORKERS > 1 this process becomes a node:cluster primary (workers.ts); each worker it forks
 * runs the same program, which comes back here and takes the single-process path.
 */
export async function serve(): Promise<void> {
  try {
    const config = loadConfig();
    // BRAND_FILE is checked here too, so that a bad one stops the primary before any worker forks.
    const branding = loadBranding(config);
    if (cluster.isPrimary && config.workers > 1) runPrimary(config);
    else await serveOne(config, branding);
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const problem of err.problems) console.error(`onetime: configuration: ${problem}`);
    } else {
      console.error(`onetime: cannot start: ${(err as Error).message}`);
    }
    process.exit(1);
  }
}

async function serveOne(config: Config, branding: Branding): Promise<void> {
  const server = await startServer({ config, branding });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const { log } = server.app;
    const seconds = server.config.shutdownTimeoutSeconds;
    log.info({ signal, timeoutSeconds: seconds }, "shutting down");
    setTimeout(() => {
      log.warn({ timeoutSeconds: seconds }, "shutdown timed out; exiting with requests in flight");
      process.exit(1);
    }, seconds * 1000).unref();
    try {
      await server.stop();
    } catch (err) {
      log.error({ errType: (err as Error).name }, "shutdown failed");
      process.exit(1);
    }
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}
