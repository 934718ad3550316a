import { randomBytes } from "node:crypto";
import { open, seal } from "./aead.js";
import { type PasswordKeySets, passwordKeys } from "./credentials.js";
import { dataKey, hkdfExpand, hkdfExtract, hmac, hmacHex, type ServerKeys, safeEqual } from "./keys.js";
import { newSalt, stretchPassphrase } from "./passphrase.js";
import { createRequestVault, type RequestVault } from "./request-vault.js";

// Everything that turns bearer keys, passphrases and plaintext into what the store may hold.
//
// Content key = HKDF(encryption sub-key ‖ secret key ‖ argon2id(passphrase)), salted with the row id.
// The secret key comes from the link and is never stored, so a copy of the database — even with
// SECRET — cannot open a secret without its link, nor a passphrase secret without its passphrase.
// (The one way around the link: with SECRET, a guessed web password opens its account's list, whose
// metadata keys open their receipts' secret keys; docs/security.md states that limit.)
// A verifier derived from the same material (another HKDF label) lets the server check the key,
// the passphrase and its own SECRET before it consumes anything.

export interface SealedSecret {
  id: string;
  ciphertext: Buffer;
  verifier: Buffer;
  passphraseSalt: Buffer | null;
}

export interface Vault {
  secretId(secretKey: string): string;
  receiptId(metadataKey: string): string;
  accountId(email: string): string;
  /** A short, keyed pseudonym for a rate-limit subject (a client IP). */
  subject(value: string): string;
  /**
   * Seals a text (as UTF-8) or bytes (a content envelope, src/crypto/envelope.ts): the same bytes
   * give the same kind of ciphertext, so a text secret is sealed exactly as before files existed.
   */
  sealSecret(
    secretKey: string,
    plaintext: string | Uint8Array,
    passphrase: string | undefined,
  ): Promise<SealedSecret>;
  /** The content key for a stored secret, or null when the key/passphrase/SECRET do not match. */
  unlockSecret(
    secret: { id: string; verifier: Buffer; passphraseSalt: Buffer | null },
    secretKey: string,
    passphrase: string | undefined,
  ): Promise<Buffer | null>;
  openSecret(contentKey: Buffer, secret: { id: string; ciphertext: Buffer }): string | null;
  /** The plaintext as bytes: a secret sealed from bytes (its content envelope). */
  openSecretBytes(contentKey: Buffer, secret: { id: string; ciphertext: Buffer }): Buffer | null;
  /**
   * A client-encrypted secret: the sender's blob sealed again like any content, under a key that
   * also takes the reveal proof, and a verifier of that proof. No argon2: the proof is already
   * 256 bits derived from the link's fragment (and PBKDF2 of the passphrase, on the client).
   */
  sealClientSecret(secretKey: string, blob: Uint8Array, proof: Uint8Array): SealedSecret;
  /** The content key when `proof` is the one the secret was made with (checked in constant time). */
  unlockClientSecret(
    secret: { id: string; verifier: Buffer },
    secretKey: string,
    proof: Uint8Array,
  ): Buffer | null;
  openClientSecret(contentKey: Buffer, secret: { id: string; ciphertext: Buffer }): Buffer | null;
  sealSecretKey(metadataKey: string, receiptId: string, secretKey: string): Buffer;
  openSecretKey(metadataKey: string, receiptId: string, sealed: Buffer): string | null;
  tokenHash(token: string): Buffer;
  /** A web password's verifier and list-wrapping key, keyed with this SECRET's pepper. */
  passwordKeys(password: string, salt: Buffer): Promise<PasswordKeySets>;
  newListKey(): Buffer;
  /**
   * The list key of an account that signs in by single sign-on, which has no password to wrap it:
   * derived from SECRET and the account id, so the server alone opens it (docs/security.md).
   */
  ssoListKey(accountId: string): Buffer;
  wrapListKey(token: string, accountId: string, listKey: Buffer): Buffer;
  unwrapListKey(token: string, accountId: string, wrapped: Buffer): Buffer | null;
  sealMetadataKey(listKey: Buffer, receiptId: string, metadataKey: string): Buffer;
  openMetadataKey(listKey: Buffer, receiptId: string, sealed: Buffer): string | null;
  /** Secret requests' keys (request-vault.ts). */
  readonly requests: RequestVault;
}

export function createVault(keys: ServerKeys): Vault {
  async function material(secretKey: string, passphrase: string | undefined, salt: Buffer | null) {
    const stretched =
      passphrase === undefined || salt === null ? Buffer.alloc(0) : await stretchPassphrase(passphrase, salt);
    return [keys.encryption, secretKey, stretched];
  }

  // The proof takes the place of argon2's output, with a label of its own so the two never meet.
  const clientPrk = (id: string, secretKey: string, proof: Uint8Array) =>
    hkdfExtract([keys.encryption, secretKey, Buffer.from(proof), "client v1"], id);

  return {
    secretId: (secretKey) => hmacHex(keys.lookup, "secret", secretKey),
    receiptId: (metadataKey) => hmacHex(keys.lookup, "receipt", metadataKey),
    accountId: (email) => hmacHex(keys.lookup, "account", email.toLowerCase()),
    subject: (value) => hmacHex(keys.subject, value).slice(0, 32),

    async sealSecret(secretKey, plaintext, passphrase) {
      const id = this.secretId(secretKey);
      const passphraseSalt = passphrase === undefined ? null : newSalt();
      const prk = hkdfExtract(await material(secretKey, passphrase, passphraseSalt), id);
      return {
        id,
        ciphertext: seal(hkdfExpand(prk, "content"), plainBytes(plaintext), id),
        verifier: hkdfExpand(prk, "verifier"),
        passphraseSalt,
      };
    },

    async unlockSecret(secret, secretKey, passphrase) {
      // A passphrase secret asked without one still costs an argon2 run, so timing does not tell
      // "no passphrase given" from "wrong passphrase".
      const given = secret.passphraseSalt === null ? undefined : (passphrase ?? "");
      const prk = hkdfExtract(await material(secretKey, given, secret.passphraseSalt), secret.id);
      if (!safeEqual(hkdfExpand(prk, "verifier"), secret.verifier)) return null;
      return hkdfExpand(prk, "content");
    },

    openSecret(contentKey, secret) {
      return open(contentKey, secret.ciphertext, secret.id)?.toString("utf8") ?? null;
    },

    openSecretBytes: (contentKey, secret) => open(contentKey, secret.ciphertext, secret.id),

    sealClientSecret(secretKey, blob, proof) {
      const id = this.secretId(secretKey);
      const prk = clientPrk(id, secretKey, proof);
      return {
        id,
        ciphertext: seal(hkdfExpand(prk, "content"), Buffer.from(blob), id),
        verifier: hkdfExpand(prk, "verifier"),
        passphraseSalt: null,
      };
    },

    unlockClientSecret(secret, secretKey, proof) {
      const prk = clientPrk(secret.id, secretKey, proof);
      return safeEqual(hkdfExpand(prk, "verifier"), secret.verifier) ? hkdfExpand(prk, "content") : null;
    },

    openClientSecret: (contentKey, secret) => open(contentKey, secret.ciphertext, secret.id),

    sealSecretKey: (metadataKey, receiptId, secretKey) =>
      seal(dataKey([keys.encryption, metadataKey], receiptId, "receipt"), Buffer.from(secretKey), receiptId),
    openSecretKey: (metadataKey, receiptId, sealed) =>
      open(dataKey([keys.encryption, metadataKey], receiptId, "receipt"), sealed, receiptId)?.toString() ??
      null,

    tokenHash: (token) => hmac(keys.token, token),
    passwordKeys: (password, salt) => passwordKeys(password, salt, keys.password),
    newListKey: () => randomBytes(32),
    ssoListKey: (accountId) => dataKey([keys.encryption], accountId, "sso-list"),
    wrapListKey: (token, accountId, listKey) =>
      seal(dataKey([token], accountId, "list-wrap"), listKey, accountId),
    unwrapListKey: (token, accountId, wrapped) =>
      open(dataKey([token], accountId, "list-wrap"), wrapped, accountId),
    sealMetadataKey: (listKey, receiptId, metadataKey) => seal(listKey, Buffer.from(metadataKey), receiptId),
    openMetadataKey: (listKey, receiptId, sealed) => open(listKey, sealed, receiptId)?.toString() ?? null,
    requests: createRequestVault(keys),
  };
}

/** A text's UTF-8; bytes as they are (a view, not a copy: a file may be megabytes). */
function plainBytes(plaintext: string | Uint8Array): Buffer {
  if (typeof plaintext === "string") return Buffer.from(plaintext, "utf8");
  return Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength);
}
