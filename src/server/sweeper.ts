import type { Deps } from "../actions/deps.js";

/**
 * Purges expired rows every `intervalSeconds`. Expired rows already read as absent; the sweep only
 * bounds the database's size. Failures are logged and retried at the next tick.
 */
export function startSweeper(deps: Deps, intervalSeconds: number): { stop(): void } {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const purged = await deps.store.purgeExpired(deps.now());
      if (purged > 0) deps.log.debug({ purged }, "expired rows purged");
    } catch (err) {
      deps.log.warn({ errType: (err as Error).name }, "sweep failed");
    } finally {
      running = false;
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
