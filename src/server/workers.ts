import cluster, { type Worker } from "node:cluster";
import type { Config } from "../config.js";
import { loadRootSecret } from "../crypto/root-secret.js";
import { createLogger, logRootKey } from "./log.js";

/** A worker that stays up this long has started well: the restart backoff starts over. */
const HEALTHY_AFTER_MS = 30_000;
const FIRST_RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 10_000;
/** Past SHUTDOWN_TIMEOUT each worker exits by itself; this is the margin before it is killed. */
const SHUTDOWN_GRACE_MS = 2_000;

/**
 * The node:cluster primary for WORKERS > 1. It serves nothing itself: it forks `config.workers`
 * copies of this program, which all listen on the one port (the primary holds the socket and hands
 * connections round-robin). A worker that dies is replaced, after a backoff that grows while
 * workers keep dying young. SIGTERM/SIGINT go to every worker, which shut down as a single process
 * does; the primary exits once all have (0 if all exited cleanly, 1 otherwise).
 */
export function runPrimary(config: Config): void {
  const log = createLogger(config, { pid: true });
  // Created here, before any fork, so that the workers read one key instead of racing to make theirs.
  logRootKey(log, loadRootSecret(config.secret, config.dataDir));

  const live = new Set<Worker>();
  const restarts = new Set<NodeJS.Timeout>();
  let anyListening = false;
  let stopping = false;
  let failed = false;
  let quickDeaths = 0;

  const fork = () => {
    const startedAt = Date.now();
    const worker = cluster.fork();
    live.add(worker);
    worker.once("listening", () => {
      anyListening = true;
    });
    worker.once("exit", (code, signal) => {
      live.delete(worker);
      const pid = worker.process.pid;
      if (stopping) {
        if (code !== 0) failed = true;
        if (live.size === 0) finish();
        return;
      }
      if (!anyListening) {
        // No worker ever got going (port taken, store unreachable…): the worker said why; stop.
        log.error({ workerPid: pid, code, signal }, "a worker failed to start; stopping");
        failed = true;
        void stop("startup failure");
        return;
      }
      quickDeaths = Date.now() - startedAt < HEALTHY_AFTER_MS ? quickDeaths + 1 : 0;
      const delayMs = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** quickDeaths);
      log.warn({ workerPid: pid, code, signal, delayMs }, "worker exited; starting a new one");
      const timer = setTimeout(() => {
        restarts.delete(timer);
        if (!stopping) fork();
      }, delayMs);
      restarts.add(timer);
    });
  };

  const finish = () => {
    log.info({ failed }, "all workers stopped");
    process.exit(failed ? 1 : 0);
  };

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    for (const timer of restarts) clearTimeout(timer);
    restarts.clear();
    const seconds = config.shutdownTimeoutSeconds;
    log.info({ signal, timeoutSeconds: seconds, workers: live.size }, "shutting down");
    if (live.size === 0) finish();
    // Each worker lets its requests finish, as a single process does, within SHUTDOWN_TIMEOUT.
    for (const worker of live) worker.process.kill(signal === "SIGINT" ? "SIGINT" : "SIGTERM");
    setTimeout(
      () => {
        log.warn({ workers: live.size }, "workers still running after the shutdown timeout; killing them");
        for (const worker of live) worker.process.kill("SIGKILL");
        process.exit(1);
      },
      seconds * 1000 + SHUTDOWN_GRACE_MS,
    ).unref();
  };

  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  log.info({ workers: config.workers }, "starting workers");
  for (let i = 0; i < config.workers; i++) fork();
}
