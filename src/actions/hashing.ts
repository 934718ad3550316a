import { AppError } from "../domain/errors.js";
import type { Deps } from "./deps.js";
import { QueueFull } from "./hash-queue.js";
import { countRefusal } from "./rate-limit.js";

/**
 * Runs an argon2 `job` through the process's fair queue (src/actions/hash-queue.ts) in `client`'s
 * share: over it, rate_limited; with the whole server saturated, server_busy; both at once, with
 * details.retryAfter (seconds) for the Retry-After header.
 */
export async function hashed<T>(
  deps: Deps,
  client: string,
  job: () => Promise<T>,
  options?: { bounded: boolean },
): Promise<T> {
  try {
    return await deps.hashQueue.run(client, job, options);
  } catch (err) {
    if (!(err instanceof QueueFull)) throw err;
    countRefusal(deps);
    const details = { retryAfter: err.retryAfterSeconds };
    if (err.scope === "client") throw new AppError("rate_limited", details);
    throw new AppError("server_busy", details);
  }
}
