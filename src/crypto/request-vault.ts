import {
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";
import { open, seal } from "./aead.js";
import { dataKey, hmac, hmacHex, type ServerKeys } from "./keys.js";

// What the server does with a secret request's keys (docs/requests.md, "Who holds which key"):
//
//   m   the requester link's key (bearer, 31 characters): listed for its account sealed under the
//       account's list key; never stored otherwise
//   r   the request link's key = base 36 of HMAC(lookup sub-key, "request-link", m): one way, so the
//       request link does not give the requester link; the row's id is HMAC(lookup, "request", r)
//   note  sealed under HKDF(encryption sub-key ‖ r): the store alone cannot read it
//   answer key  an X25519 pair whose private half is HKDF(encryption sub-key ‖ m): the row keeps the
//       public half; each answer's metadata key is sealed to it (ephemeral X25519, HKDF, AES-256-GCM),
//       so the server can seal an answer for an anonymous sender, and only a holder of m (the
//       requester link, or the signed-in requester's list) opens it. The request link opens none.
//
// The answer's content is sealed by the sender's client to the requester's ECDH P-256 key
// (request-key.ts): the server never has that key; these keys only say where the answers are.

const KEY_LENGTH = 31;
/** PKCS #8 DER prefix of a raw 32-byte X25519 private key (RFC 8410). */
const X25519_PKCS8 = Buffer.from("302e020100300506032b656e04220420", "hex");

export function createRequestVault(keys: ServerKeys) {
  const answerPrivate = (manageKey: string, id: string): KeyObject =>
    createPrivateKey({
      key: Buffer.concat([X25519_PKCS8, dataKey([keys.encryption, manageKey], id, "request-answers")]),
      format: "der",
      type: "pkcs8",
    });
  const rawPublic = (k: KeyObject): Buffer =>
    Buffer.from(createPublicKey(k).export({ format: "jwk" }).x ?? "", "base64url");
  const publicFromRaw = (raw: Buffer): KeyObject =>
    createPublicKey({ key: { kty: "OKP", crv: "X25519", x: raw.toString("base64url") }, format: "jwk" });
  const wrapKey = (shared: Buffer, ephemeral: Buffer, answerKey: Buffer, id: string) =>
    dataKey([shared, ephemeral, answerKey], id, "request-answer-wrap");

  return {
    /** The request link's key for a requester link's key. */
    linkKey(manageKey: string): string {
      const n = BigInt(`0x${hmac(keys.lookup, "request-link", manageKey).subarray(0, 20).toString("hex")}`);
      return n.toString(36).padStart(KEY_LENGTH, "0");
    },
    requestId: (linkKey: string) => hmacHex(keys.lookup, "request", linkKey),
    sealNote: (linkKey: string, id: string, note: string) =>
      seal(dataKey([keys.encryption, linkKey], id, "request-note"), Buffer.from(note, "utf8"), id),
    openNote: (linkKey: string, id: string, sealed: Buffer) =>
      open(dataKey([keys.encryption, linkKey], id, "request-note"), sealed, id)?.toString("utf8") ?? null,
    /** The public half of the request's answer key (stored in its row). */
    answerKey: (manageKey: string, id: string) => rawPublic(answerPrivate(manageKey, id)),
    /** Seals an answer's metadata key to the request's answer key: ephemeral public (32) ‖ AES-GCM. */
    sealAnswer(answerKey: Buffer, id: string, receiptId: string, metadataKey: string): Buffer {
      const pair = generateKeyPairSync("x25519");
      const ephemeral = rawPublic(pair.privateKey);
      const shared = diffieHellman({ privateKey: pair.privateKey, publicKey: publicFromRaw(answerKey) });
      const key = wrapKey(shared, ephemeral, answerKey, id);
      return Buffer.concat([ephemeral, seal(key, Buffer.from(metadataKey), receiptId)]);
    },
    /** An answer's metadata key, with the requester link's key; null when it does not open. */
    openAnswer(manageKey: string, id: string, receiptId: string, sealed: Buffer): string | null {
      if (sealed.length < 33) return null;
      const own = answerPrivate(manageKey, id);
      const ephemeral = sealed.subarray(0, 32);
      let shared: Buffer;
      try {
        shared = diffieHellman({ privateKey: own, publicKey: publicFromRaw(Buffer.from(ephemeral)) });
      } catch {
        return null;
      }
      const key = wrapKey(shared, Buffer.from(ephemeral), rawPublic(own), id);
      return open(key, sealed.subarray(32), receiptId)?.toString() ?? null;
    },
    /** The requester link's key in its account's list, bound to the request. */
    sealManageKey: (listKey: Buffer, id: string, manageKey: string) =>
      seal(listKey, Buffer.from(manageKey), `request:${id}`),
    openManageKey: (listKey: Buffer, id: string, sealed: Buffer) =>
      open(listKey, sealed, `request:${id}`)?.toString() ?? null,
  };
}

export type RequestVault = ReturnType<typeof createRequestVault>;

/** A requester's ECDH P-256 public point (65 bytes, uncompressed), checked to be on the curve. */
export function isRequesterPublicKey(point: Uint8Array): boolean {
  if (point.length !== 65 || point[0] !== 4) return false;
  const b = Buffer.from(point);
  try {
    createPublicKey({
      key: {
        kty: "EC",
        crv: "P-256",
        x: b.subarray(1, 33).toString("base64url"),
        y: b.subarray(33).toString("base64url"),
      },
      format: "jwk",
    });
    return true;
  } catch {
    return false;
  }
}
