import { randomBytes } from "node:crypto";
import { hashRaw } from "@node-rs/argon2";

// Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import).
const ARGON2ID = 2;

// argon2id with m=19 MiB, t=2, p=1 (OWASP's minimum): about 10 ms here, on libuv's thread pool so
// the event loop keeps serving while it runs. The raw output is key material, not a stored hash.
// How many run at once, and whose turn it is, is decided before this is called: the actions run
// every hash through the process's fair, bounded queue (src/actions/hash-queue.ts).
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

export const SALT_BYTES = 16;

export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

export function stretchPassphrase(passphrase: string, salt: Buffer): Promise<Buffer> {
  return hashRaw(passphrase, { ...PARAMS, salt });
}
