import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const SECRET_FILE = "secret.key";

export interface RootSecret {
  key: Buffer;
  /** Where the key came from, for the start-up log line. */
  source: "env" | "file" | "generated";
  path?: string;
}

/**
 * The root key: SECRET when set; otherwise <dataDir>/secret.key, created (0600, 256 random bits) on
 * first start unless `create` is false (the CLI: a key made in the wrong directory would make tokens
 * no server accepts). There is never a built-in default key.
 */
export function loadRootSecret(
  secret: string | null,
  dataDir: string,
  { create = true }: { create?: boolean } = {},
): RootSecret {
  if (secret !== null) return { key: Buffer.from(secret), source: "env" };
  const path = join(dataDir, SECRET_FILE);
  if (existsSync(path)) {
    const text = readFileSync(path, "utf8").trim();
    if (text.length < 32) throw new Error(`${path} holds fewer than 32 characters; remove it or set SECRET`);
    return { key: Buffer.from(text), source: "file", path };
  }
  if (!create) throw new Error(`no root key: ${path} does not exist and SECRET is unset`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const text = randomBytes(32).toString("hex");
  // "wx" fails if another process created the file meanwhile; then read theirs.
  try {
    writeFileSync(path, `${text}\n`, { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return loadRootSecret(null, dataDir);
    throw err;
  }
  return { key: Buffer.from(text), source: "generated", path };
}
