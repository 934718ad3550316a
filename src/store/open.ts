import type { Config } from "../config.js";
import { openRedisStore } from "./redis.js";
import { openSqliteStore } from "./sqlite.js";
import type { Store } from "./types.js";

/** Picks the store from the configuration: Redis when REDIS_URL or REDIS_CLUSTER_NODES is set, else SQLite. */
export async function openStore(config: Config, onError: (err: Error) => void): Promise<Store> {
  if (config.redisUrl !== null || config.redisClusterNodes.length > 0) {
    return openRedisStore({
      url: config.redisUrl ?? undefined,
      clusterNodes: config.redisClusterNodes,
      prefix: config.redisPrefix,
      onError,
    });
  }
  return openSqliteStore({ dataDir: config.dataDir });
}
