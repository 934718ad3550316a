import type { Deps } from "../actions/deps.js";
import { sendExpiryNotices } from "../actions/notices.js";

/**
 * Every `intervalSeconds`: queues the expiry notices that fell due (every backend; the store hands
 * each to one process), then purges expired rows unless the backend expires them itself. Expired
 * rows already read as absent; the purge only bounds the database's size. Failures are logged and
 * retried at the next tick.
 */
export function startSweeper(deps: Deps, intervalSeconds: number): { stop(): void } {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      const notices = await sendExpiryNotices(deps);
      if (notices > 0) deps.log.debug({ notices }, "expiry notices queued");
      if (!deps.store.expiresNatively) {
        const purged = await deps.store.purgeExpired(deps.now());
        if (purged > 0) deps.log.debug({ purged }, "expired rows purged");
      }
    } catch (err) {
      deps.log.warn({ errType: (err as Error).name }, "sweep failed");
    } finally {
      running = false;
    }
  }, intervalSeconds * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
