import { randomFillSync } from "node:crypto";

// CSPRNG bytes drawn from a 4 KiB buffer refilled in one call. Each randomBytes() call crosses into
// OpenSSL for a few bytes (2.4 µs for 20 bytes here; 0.2 µs from the pool), and every share needs
// four draws (two keys, two IVs). Node's own randomUUID() batches entropy the same way. Every byte
// is handed out once and the pool's copy is zeroed as it goes, so the buffer never holds a key or
// an IV that is already in use. Cluster workers are separate processes: no pool is ever shared.
const POOL_BYTES = 4096;

export function createRandomPool(size = POOL_BYTES): (n: number) => Buffer {
  const pool = Buffer.alloc(size);
  let offset = size;
  return (n) => {
    if (n > size) return randomFillSync(Buffer.alloc(n));
    if (offset + n > size) {
      randomFillSync(pool);
      offset = 0;
    }
    const out = Buffer.from(pool.subarray(offset, offset + n));
    pool.fill(0, offset, offset + n);
    offset += n;
    return out;
  };
}

/** The process's pool, used for bearer keys and AEAD nonces. */
export const randomBytesPooled = createRandomPool();
