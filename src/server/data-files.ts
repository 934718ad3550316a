import { statSync } from "node:fs";
import { join } from "node:path";
import { type RootSecret, SECRET_FILE } from "../crypto/root-secret.js";
import { DATABASE_FILE, SQLITE_STORE } from "../store/sqlite.js";

/** The database file and its companions, present while SQLite has it open in WAL mode. */
const DATABASE_FILES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`];

/**
 * The server's own entries in the data directory that other users of the machine may read or write
 * (any group or other permission bit), each as `name (mode)`, the directory itself as `.`. New ones
 * are created 0700 and 0600; older ones (or ones an operator widened) keep their mode and are named
 * here, for one warning at start-up. Empty when the data directory is not in use.
 */
export function widelyReadable(dataDir: string, storeName: string, root: RootSecret): string[] {
  const names = [
    ...(root.source === "env" ? [] : [SECRET_FILE]),
    ...(storeName === SQLITE_STORE ? DATABASE_FILES : []),
  ];
  if (names.length === 0) return [];
  const entries: [string, string][] = [
    [".", dataDir],
    ...names.map((n): [string, string] => [n, join(dataDir, n)]),
  ];
  return entries.flatMap(([name, path]) => {
    const mode = modeOf(path);
    return mode !== null && (mode & 0o077) !== 0 ? [`${name} (${mode.toString(8).padStart(4, "0")})`] : [];
  });
}

function modeOf(path: string): number | null {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return null;
  }
}
