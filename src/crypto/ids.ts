import { randomBytesPooled } from "./random.js";

/** Length of secret and metadata keys: 160 bits need 31 base-36 digits (36^31 ≈ 2^160.3). */
export const KEY_LENGTH = 31;
const KEY_BYTES = 20;

/**
 * A new bearer key: 160 bits from the CSPRNG written in base 36 and left-padded to 31 characters,
 * so every key is `[0-9a-z]{31}` as clients expect.
 */
export function newKey(): string {
  const n = BigInt(`0x${randomBytesPooled(KEY_BYTES).toString("hex")}`);
  return n.toString(36).padStart(KEY_LENGTH, "0");
}

/** Keys accepted in URLs: any 1–128 ASCII letters or digits. Anything else can only be unknown. */
export function isWellFormedKey(key: string): boolean {
  return /^[A-Za-z0-9]{1,128}$/.test(key);
}

/** A new API token: 256 bits from the CSPRNG, base 36 (50 characters). */
export function newToken(): string {
  const n = BigInt(`0x${randomBytesPooled(32).toString("hex")}`);
  return n.toString(36).padStart(50, "0");
}
