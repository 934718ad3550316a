import type { Config } from "../config.js";
import { describeRedisError, isRedisAuthError } from "./redis-errors.js";
import { openSqliteStore } from "./sqlite.js";
import type { Store } from "./types.js";

/** Picks the store from the configuration: Redis when REDIS_URL or REDIS_CLUSTER_NODES is set, else SQLite. */
export async function openStore(config: Config, onError: (err: Error) => void): Promise<Store> {
  if (config.redisUrl !== null || config.redisClusterNodes.length > 0) {
    // The Redis client is loaded only in Redis mode: the SQLite default starts without it.
    const { openRedisStore } = await import("./redis.js");
    let store: Store;
    try {
      store = await openRedisStore({
        url: config.redisUrl ?? undefined,
        clusterNodes: config.redisClusterNodes,
        prefix: config.redisPrefix,
        onError,
      });
      // A server that wants a password accepts the connection without one and refuses every command
      // (NOAUTH): one command now stops start-up instead of serving with a store that never answers.
      await store.ping().catch(async (err: unknown) => {
        if (!isRedisAuthError(err)) return;
        await store.close();
        throw err;
      });
    } catch (err) {
      if (!isRedisAuthError(err)) throw err;
      const problem = describeRedisError(err);
      throw new Error(`${problem.reason} (${problem.code})`);
    }
    return store;
  }
  return openSqliteStore({ dataDir: config.dataDir, synchronous: config.sqliteSynchronous });
}

/** Where the store is, for the start-up log: the data directory, or Redis without its password. */
export function storeLocation(config: Config): Record<string, string> {
  if (config.redisClusterNodes.length > 0) return { redisClusterNodes: config.redisClusterNodes.join(",") };
  if (config.redisUrl !== null) return { redis: withoutPassword(config.redisUrl) };
  return { dataDir: config.dataDir };
}

/** The URL as the user wrote it, less its password (user names stay: they tell which account). */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    // loadConfig checked the scheme only; an unparsable rest is shown as its scheme and no more.
    return `${url.slice(0, url.indexOf("//") + 2)}…`;
  }
}
