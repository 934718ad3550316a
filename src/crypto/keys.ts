import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

// Sub-keys of the root SECRET, one per purpose (HKDF-SHA256, distinct info labels), so that no key
// serves two roles and a leak of one derived value says nothing about the others.
export interface ServerKeys {
  /** Row ids: HMAC(lookup, purpose ‖ key); the store never sees a bearer key itself. */
  lookup: Buffer;
  /** Input to every content and receipt data key. */
  encryption: Buffer;
  /** API tokens are stored as HMAC(token-key, token). */
  token: Buffer;
  /** Rate-limit subjects (client IPs) are stored as HMACs too. */
  subject: Buffer;
  /** The pepper of web passwords: keys their verifier and list-key wrapping (credentials.ts). */
  password: Buffer;
}

const SALT = Buffer.from("onetime/v1");

function derive(root: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", root, SALT, info, 32));
}

export function deriveServerKeys(root: Buffer): ServerKeys {
  return {
    lookup: derive(root, "lookup"),
    encryption: derive(root, "encryption"),
    token: derive(root, "token"),
    subject: derive(root, "subject"),
    password: derive(root, "password"),
  };
}

export function hmacHex(key: Buffer, ...parts: string[]): string {
  const h = createHmac("sha256", key);
  for (const part of parts) h.update(part).update("\0");
  return h.digest("hex");
}

export function hmac(key: Buffer, ...parts: (string | Buffer)[]): Buffer {
  const h = createHmac("sha256", key);
  for (const part of parts) h.update(part).update("\0");
  return h.digest();
}

/** HKDF-SHA256 expansion of several inputs into one 32-byte key for `info`. */
export function dataKey(ikm: (string | Buffer)[], salt: string, info: string): Buffer {
  return hkdfExpand(hkdfExtract(ikm, salt), info);
}

/**
 * HKDF-Extract (RFC 5869 §2.2) of length-prefixed inputs: the pseudorandom key from which
 * `hkdfExpand` derives one 32-byte key per label. Written with HMAC rather than hkdfSync, whose
 * per-call KeyObject set-up costs twice the two HMACs (11 µs against 5.5 µs here); the output is
 * the same bytes (keys.test.ts checks it against hkdfSync). Deriving a secret's content key and
 * verifier from one extract saves a third HMAC.
 */
export function hkdfExtract(ikm: (string | Buffer)[], salt: string): Buffer {
  const h = createHmac("sha256", salt);
  const len = Buffer.alloc(4);
  for (const part of ikm) {
    const b = typeof part === "string" ? Buffer.from(part) : part;
    len.writeUInt32BE(b.length);
    h.update(len).update(b);
  }
  return h.digest();
}

/** HKDF-Expand (RFC 5869 §2.3) to one SHA-256 block: T(1) = HMAC(prk, info ‖ 0x01). */
export function hkdfExpand(prk: Buffer, info: string): Buffer {
  return createHmac("sha256", prk).update(info).update(ONE).digest();
}

const ONE = Buffer.of(1);

export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
