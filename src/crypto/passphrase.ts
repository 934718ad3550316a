import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { hashRaw } from "@node-rs/argon2";

// Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import).
const ARGON2ID = 2;

// argon2id with m=19 MiB, t=2, p=1 (OWASP's minimum): about 10 ms here, on libuv's thread pool so
// the event loop keeps serving while it runs. The raw output is key material, not a stored hash.
const PARAMS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 };

export const SALT_BYTES = 16;

// Off the event loop is not enough: libuv runs four hashes at once, and on a 2-core machine four
// busy hashing threads leave the event loop a fraction of a core, so every other request waits
// (the bench: /status p99 31 ms with 50 passphrase reveals in flight). At most one hash per core
// but one runs at a time; the rest queue here, as they queued in libuv's pool before. The limit
// belongs to the process (it shares out the machine's cores), hence module state.
const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);
let running = 0;
const waiting: (() => void)[] = [];

async function acquire(): Promise<void> {
  if (running < MAX_CONCURRENT_HASHES) {
    running++;
    return;
  }
  // The releasing hash hands its slot over directly, so no newcomer can slip in between.
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = waiting.shift();
  if (next === undefined) running--;
  else next();
}

export function newSalt(): Buffer {
  return randomBytes(SALT_BYTES);
}

export async function stretchPassphrase(passphrase: string, salt: Buffer): Promise<Buffer> {
  await acquire();
  try {
    return await hashRaw(passphrase, { ...PARAMS, salt });
  } finally {
    release();
  }
}
