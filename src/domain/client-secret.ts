import { AppError } from "./errors.js";

// Client-encrypted ("zero-knowledge") secrets as the server sees them: an opaque blob sealed in the
// sender's browser or terminal (src/crypto/zk.ts, docs/zero-knowledge.md), a reveal proof, and the
// passphrase's PBKDF2 parameters when there is one. The server never has the key nor the text; it
// checks the shapes here and the proof in the vault.

/** `server`: the server sealed the text (v1, v2, pages without JavaScript); `client`: the sender did. */
export type Encryption = "server" | "client";

/** The operator's switch (ZERO_KNOWLEDGE): accept client secrets, refuse them, or accept nothing else. */
export type ZeroKnowledgeMode = "browser" | "off" | "required";

/** The PBKDF2 parameters of a client secret's passphrase, handed to readers by the non-consuming look. */
export interface ClientKdf {
  salt: Uint8Array;
  iterations: number;
}

/** A client secret as a surface hands it to the create action. */
export interface ClientSecretInput {
  blob: Uint8Array;
  proof: Uint8Array;
  kdf: ClientKdf | null;
  /** The blob's plaintext is a content envelope: a text and a file (the AAD's file flag, 0x02). */
  hasFile: boolean;
}

/** The format version this server stores (src/crypto/zk.ts FORMAT_VERSION). */
export const CLIENT_FORMAT = 1;
/** Version byte, IV and GCM tag: what a blob adds to its plaintext. */
export const CLIENT_BLOB_OVERHEAD = 29;
/**
 * The most a content envelope adds to its text and file (src/crypto/envelope.ts
 * ENVELOPE_MAX_OVERHEAD: version, three lengths, a 255-byte name, a 127-character type).
 */
export const ENVELOPE_MAX_OVERHEAD = 390;
export const PROOF_BYTES = 32;
export const KDF_SALT_BYTES = 16;
/** Fewer PBKDF2 iterations would make a stolen blob cheap to attack with the key; more, a slow reader. */
export const KDF_MIN_ITERATIONS = 600_000;
export const KDF_MAX_ITERATIONS = 10_000_000;

/** The size limits of a secret: its text's (SECRET_MAX_LENGTH) and its file's (FILE_MAX_BYTES). */
export interface SizeLimits {
  secretMaxLength: number;
  fileMaxBytes: number;
}

/**
 * Refuses a client secret the format does not allow; its plaintext (blob − overhead) counts against
 * the size limit like a server secret's text, the overhead does not. The server cannot tell a file
 * secret's text from its file: their sum (and the envelope's largest header) is what it checks.
 */
export function checkClientSecret(input: ClientSecretInput, limits: SizeLimits): void {
  const { blob, proof, kdf } = input;
  if (blob.length <= CLIENT_BLOB_OVERHEAD) throw new AppError("nothing_to_share");
  if (blob[0] !== CLIENT_FORMAT) throw new AppError("invalid_param", { field: "ciphertext" });
  if (proof.length !== PROOF_BYTES) throw new AppError("invalid_param", { field: "proof" });
  if (kdf !== null) {
    if (kdf.salt.length !== KDF_SALT_BYTES) throw new AppError("invalid_param", { field: "kdf.salt" });
    const n = kdf.iterations;
    if (!Number.isInteger(n) || n < KDF_MIN_ITERATIONS || n > KDF_MAX_ITERATIONS) {
      throw new AppError("invalid_param", { field: "kdf.iterations" });
    }
  }
  const plaintext = blob.length - CLIENT_BLOB_OVERHEAD;
  if (input.hasFile) {
    const max = limits.fileMaxBytes + limits.secretMaxLength + ENVELOPE_MAX_OVERHEAD;
    if (plaintext > max) throw new AppError("file_too_large", { max: limits.fileMaxBytes });
  } else if (plaintext > limits.secretMaxLength) {
    throw new AppError("secret_too_large", { max: limits.secretMaxLength });
  }
}
