// Client-side ("zero-knowledge") secrets, format version 1: the one implementation used by the page
// script (bundled by scripts/build-web.mjs), the terminal client and the tests. WebCrypto only
// (globalThis.crypto.subtle) and Uint8Array: no node:* module, no Buffer, so it runs unchanged in a
// browser and in Node 20. docs/zero-knowledge.md describes the format; the server never runs seal/open.
//
//   k     32 random bytes, carried in the link's fragment (base64url, 43 characters)
//   pw    PBKDF2-SHA-256(passphrase UTF-8, salt 16 bytes, iterations, 32 bytes), when there is one
//   ikm   k, or k ‖ pw
//   enc   HKDF-SHA-256(ikm, salt "", info "onetime zk v1 enc")   → AES-256-GCM key
//   proof HKDF-SHA-256(ikm, salt "", info "onetime zk v1 proof") → 32 bytes shown to the server on reveal
//   blob  0x01 ‖ iv (12) ‖ AES-GCM(enc, iv, plaintext, aad) with its 16-byte tag
//   plaintext  the text UTF-8; or, for a secret that carries a file, its content envelope
//         (src/crypto/envelope.ts, which callers encode: this module stays import-free)
//   aad   "onetime zk v1" ‖ 0x00 ‖ flags (0x01 = passphrase, 0x02 = file) ‖ salt ‖ iterations u32
//         big-endian (salt and iterations with a passphrase only)

export const FORMAT_VERSION = 1;
export const KEY_BYTES = 32;
export const IV_BYTES = 12;
export const SALT_BYTES = 16;
export const TAG_BYTES = 16;
/** Bytes a blob adds to its plaintext: version, iv, tag. */
export const BLOB_OVERHEAD = 1 + IV_BYTES + TAG_BYTES;
/** PBKDF2 iterations of a new passphrase (OWASP 2023 for PBKDF2-HMAC-SHA256). */
export const KDF_ITERATIONS = 600_000;
/** The most iterations any reader will run for a stored secret (a bound on a hostile server's ask). */
export const KDF_MAX_ITERATIONS = 10_000_000;

export interface Kdf {
  salt: Uint8Array;
  iterations: number;
}

export interface Passphrase extends Kdf {
  passphrase: string;
}

/** How a plaintext is sealed or opened: behind a passphrase or not, a content envelope or bare text. */
export interface SealOptions {
  passphrase?: Passphrase;
  /** The plaintext is a content envelope (a secret with a file): flag 0x02 of the AAD. */
  file?: boolean;
}

export interface Sealed {
  blob: Uint8Array;
  proof: Uint8Array;
}

const LABEL = "onetime zk v1";
const FLAG_PASSPHRASE = 0x01;
const FLAG_FILE = 0x02;
const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new Error("WebCrypto is not available (a secure context is required)");
  return s;
}

function random(n: number): Uint8Array {
  const out = new Uint8Array(n);
  globalThis.crypto.getRandomValues(out);
  return out;
}

/** The parts end to end, in a new buffer. */
export function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A copy backed by a plain ArrayBuffer, which WebCrypto's typings ask for. */
const bytes = (b: Uint8Array): Uint8Array<ArrayBuffer> => concat(b);

export function newKey(): Uint8Array {
  return random(KEY_BYTES);
}

export function newKdf(): Kdf {
  return { salt: random(SALT_BYTES), iterations: KDF_ITERATIONS };
}

// base64url without padding, strict: any other character, a length no encoding gives, or unused
// trailing bits set is refused, so one value has exactly one spelling.
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Both directions work on byte arrays with lookup tables (no string built a character at a time, no
// indexOf per character): a 5 MiB file's blob converts in milliseconds instead of holding the event
// loop or the page for a second.
const ENCODE = new TextEncoder().encode(ALPHABET);
const DECODE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;
const ascii = new TextDecoder();

export function toBase64Url(data: Uint8Array): string {
  const whole = data.length - (data.length % 3);
  const tail = data.length - whole;
  const out = new Uint8Array((whole / 3) * 4 + (tail === 0 ? 0 : tail + 1));
  let at = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number);
    out[at++] = ENCODE[n >> 18] as number;
    out[at++] = ENCODE[(n >> 12) & 63] as number;
    out[at++] = ENCODE[(n >> 6) & 63] as number;
    out[at++] = ENCODE[n & 63] as number;
  }
  if (tail > 0) {
    const n = ((data[whole] as number) << 16) | ((tail === 2 ? (data[whole + 1] as number) : 0) << 8);
    out[at++] = ENCODE[n >> 18] as number;
    out[at++] = ENCODE[(n >> 12) & 63] as number;
    if (tail === 2) out[at++] = ENCODE[(n >> 6) & 63] as number;
  }
  return ascii.decode(out);
}

export function fromBase64Url(text: string): Uint8Array {
  const tail = text.length % 4;
  if (tail === 1) throw new Error("invalid base64url");
  const whole = text.length - tail;
  const out = new Uint8Array((whole / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  const sextet = (i: number): number => {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (DECODE[code] as number) : -1;
    if (v < 0) throw new Error("invalid base64url");
    return v;
  };
  let at = 0;
  for (let i = 0; i < whole; i += 4) {
    const n = (sextet(i) << 18) | (sextet(i + 1) << 12) | (sextet(i + 2) << 6) | sextet(i + 3);
    out[at++] = n >> 16;
    out[at++] = (n >> 8) & 255;
    out[at++] = n & 255;
  }
  if (tail > 0) {
    const n = (sextet(whole) << 18) | (sextet(whole + 1) << 12) | (tail === 3 ? sextet(whole + 2) << 6 : 0);
    // Unused trailing bits must be zero: one value, one spelling.
    if ((n & (tail === 2 ? 0xffff : 0xff)) !== 0) throw new Error("invalid base64url");
    out[at++] = n >> 16;
    if (tail === 3) out[at++] = (n >> 8) & 255;
  }
  return out;
}

export function encodeKey(k: Uint8Array): string {
  if (k.length !== KEY_BYTES) throw new Error("a key is 32 bytes");
  return toBase64Url(k);
}

/** The key of a link's fragment (with or without its "#"); throws on anything but 32 bytes. */
export function decodeKey(text: string): Uint8Array {
  const s = text.startsWith("#") ? text.slice(1) : text;
  if (s.length !== 43) throw new Error("a key is 43 base64url characters");
  return fromBase64Url(s);
}

function checkKdf(kdf: Kdf): void {
  if (kdf.salt.length !== SALT_BYTES) throw new Error("a salt is 16 bytes");
  if (!Number.isInteger(kdf.iterations) || kdf.iterations < 1 || kdf.iterations > KDF_MAX_ITERATIONS) {
    throw new Error("iterations out of range");
  }
}

/**
 * The associated data: binds the blob to its format version, its passphrase parameters and what its
 * plaintext is (text or envelope), so a server that says "no file" of a file blob (or hands out other
 * PBKDF2 parameters) makes decryption fail instead of misleading the reader.
 */
export function associatedData(
  kdf: Kdf | null | undefined,
  { file = false }: { file?: boolean } = {},
): Uint8Array<ArrayBuffer> {
  const flags = (kdf == null ? 0 : FLAG_PASSPHRASE) | (file ? FLAG_FILE : 0);
  if (kdf === null || kdf === undefined) return concat(encoder.encode(LABEL), Uint8Array.of(0, flags));
  const n = new Uint8Array(4);
  new DataView(n.buffer).setUint32(0, kdf.iterations, false);
  return concat(encoder.encode(LABEL), Uint8Array.of(0, flags), kdf.salt, n);
}

async function stretch(p: Passphrase): Promise<Uint8Array> {
  checkKdf(p);
  const base = await subtle().importKey("raw", encoder.encode(p.passphrase), "PBKDF2", false, ["deriveBits"]);
  const bits = await subtle().deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: bytes(p.salt), iterations: p.iterations },
    base,
    256,
  );
  return new Uint8Array(bits);
}

async function derive(k: Uint8Array, passphrase: Passphrase | undefined) {
  if (k.length !== KEY_BYTES) throw new Error("a key is 32 bytes");
  const ikm = passphrase === undefined ? bytes(k) : concat(k, await stretch(passphrase));
  const base = await subtle().importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const expand = async (info: string) =>
    new Uint8Array(
      await subtle().deriveBits(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(`${LABEL} ${info}`) },
        base,
        256,
      ),
    );
  const [encBits, proof] = await Promise.all([expand("enc"), expand("proof")]);
  const enc = await subtle().importKey("raw", bytes(encBits), "AES-GCM", false, ["encrypt", "decrypt"]);
  return { enc, proof };
}

/** Seal bytes with a given IV: only for test vectors; everything else calls seal() or sealBytes(). */
export async function sealBytesWithIv(
  plaintext: Uint8Array,
  k: Uint8Array,
  iv: Uint8Array,
  { passphrase, file }: SealOptions = {},
): Promise<Sealed> {
  if (iv.length !== IV_BYTES) throw new Error("an iv is 12 bytes");
  const { enc, proof } = await derive(k, passphrase);
  const sealed = await subtle().encrypt(
    { name: "AES-GCM", iv: bytes(iv), additionalData: associatedData(passphrase, { file }) },
    enc,
    bytes(plaintext),
  );
  return { blob: concat(Uint8Array.of(FORMAT_VERSION), iv, new Uint8Array(sealed)), proof };
}

/** Seal a text with a given IV: only for test vectors. */
export function sealWithIv(text: string, k: Uint8Array, iv: Uint8Array, passphrase?: Passphrase) {
  return sealBytesWithIv(encoder.encode(text), k, iv, { passphrase });
}

/** Encrypts `text` under `k` (and the passphrase, when given): the blob to store and the reveal proof. */
export function seal(text: string, k: Uint8Array, passphrase?: Passphrase): Promise<Sealed> {
  return sealWithIv(text, k, random(IV_BYTES), passphrase);
}

/** Encrypts a plaintext given as bytes: a content envelope, with `file: true`. */
export function sealBytes(plaintext: Uint8Array, k: Uint8Array, options: SealOptions = {}): Promise<Sealed> {
  return sealBytesWithIv(plaintext, k, random(IV_BYTES), options);
}

/** The reveal proof alone: what a reader shows the server before it hands out the blob. */
export async function proofFor(k: Uint8Array, passphrase?: Passphrase): Promise<Uint8Array> {
  return (await derive(k, passphrase)).proof;
}

/**
 * Decrypts a blob to its plaintext bytes; throws when the key or passphrase is wrong, the blob was
 * altered, or `file` does not say what the sender sealed.
 */
export async function openBytes(
  blob: Uint8Array,
  k: Uint8Array,
  { passphrase, file }: SealOptions = {},
): Promise<Uint8Array> {
  if (blob.length < BLOB_OVERHEAD || blob[0] !== FORMAT_VERSION) throw new Error("not a version 1 blob");
  const { enc } = await derive(k, passphrase);
  try {
    const plain = await subtle().decrypt(
      {
        name: "AES-GCM",
        iv: bytes(blob.subarray(1, 1 + IV_BYTES)),
        additionalData: associatedData(passphrase, { file }),
      },
      enc,
      bytes(blob.subarray(1 + IV_BYTES)),
    );
    return new Uint8Array(plain);
  } catch {
    throw new Error("wrong key or passphrase");
  }
}

/** Decrypts a text blob; throws when the key or passphrase is wrong or the blob was altered. */
export async function open(blob: Uint8Array, k: Uint8Array, passphrase?: Passphrase): Promise<string> {
  const plain = await openBytes(blob, k, { passphrase });
  // ignoreBOM: a text that starts with U+FEFF comes back with it, byte for byte.
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(plain);
}

/** The plaintext size (bytes) a blob of `blobLength` bytes carries: what size limits count. */
export function plaintextBytes(blobLength: number): number {
  return Math.max(0, blobLength - BLOB_OVERHEAD);
}
