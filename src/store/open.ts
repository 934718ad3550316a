import type { Config } from "../config.js";
import { openSqliteStore } from "./sqlite.js";
import type { Store } from "./types.js";

/** Picks the store from the configuration: embedded SQLite under DATA_DIR. */
export function openStore(config: Config): Store {
  return openSqliteStore({ dataDir: config.dataDir });
}
