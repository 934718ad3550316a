// Looks inside a data directory the way an attacker with a copy of it would: raw bytes of every
// file but the root key (the database and its WAL included).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SECRET_FILE } from "../../src/crypto/root-secret.js";

/** Fails if any file of the data directory holds any of `needles`; returns the names scanned. */
export function scanDataDir(dataDir: string, needles: string[]): string[] {
  const names = readdirSync(dataDir).filter((name) => name !== SECRET_FILE);
  for (const name of names) {
    const bytes = readFileSync(join(dataDir, name));
    for (const needle of needles) {
      assert.equal(
        bytes.indexOf(Buffer.from(needle, "utf8")),
        -1,
        `${name} contains ${needle.slice(0, 12)}…`,
      );
    }
  }
  return names;
}

export function dataDirHolds(dataDir: string, bytes: Buffer): boolean {
  return readdirSync(dataDir).some((name) => readFileSync(join(dataDir, name)).includes(bytes));
}
