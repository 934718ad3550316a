import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../config.js";
import { type RootSecret, SECRET_FILE } from "../crypto/root-secret.js";
import { withoutPassword } from "../store/open.js";
import { DATABASE_FILE } from "../store/sqlite.js";

// The CLI opens the store named by its own environment, which need not be the server's: run from
// another directory, DATA_DIR=./data is another directory. So it says which store and key it uses,
// and it creates neither unless asked (--init): a token printed for a store that no server reads
// would be refused, with nothing to say why.

export interface StorePlan {
  /** "SQLite database /abs/path/onetime.db" or "Redis redis://host:6379/0 (prefix onetime)". */
  store: string;
  /** What this command would create: a fresh store serves no existing server. */
  missing: string[];
}

export function planStore(config: Config): StorePlan {
  if (config.redisClusterNodes.length > 0) {
    return {
      store: `Redis Cluster ${config.redisClusterNodes.join(",")} (prefix ${config.redisPrefix})`,
      missing: [],
    };
  }
  if (config.redisUrl !== null) {
    return { store: `Redis ${withoutPassword(config.redisUrl)} (prefix ${config.redisPrefix})`, missing: [] };
  }
  const dir = resolve(config.dataDir);
  const database = join(dir, DATABASE_FILE);
  const key = join(dir, SECRET_FILE);
  const missing = [];
  if (!existsSync(database)) missing.push(`the database ${database}`);
  if (config.secret === null && !existsSync(key)) missing.push(`the root key ${key}`);
  return { store: `SQLite database ${database}`, missing };
}

export function describeKey(root: RootSecret): string {
  if (root.source === "env") return "SECRET (from the environment)";
  if (root.source === "file") return resolve(root.path ?? "");
  return `${resolve(root.path ?? "")} (new: back it up with the data directory)`;
}
