import { closeSync, mkdirSync, openSync } from "node:fs";

// The data directory holds ciphertext, receipts, accounts and (without SECRET) the root key: no
// other user of the machine has any business reading it. SQLite creates a database with 0644 (less
// the umask) and gives its -wal and -shm files the database file's mode, so the database file is
// created here first, empty and 0600, and its companions follow it.

/** Creates `dir` (and missing parents) readable by its owner only; an existing one is left as it is. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Creates `file` empty with mode 0600 if it does not exist; an existing file is left untouched. */
export function makePrivateFile(file: string): void {
  closeSync(openSync(file, "a", 0o600));
}
