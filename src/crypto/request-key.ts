// Secret requests' key agreement, format version 1: the one implementation used by the page script
// (bundled by scripts/build-web.mjs), the terminal client and the tests. WebCrypto only, like zk.ts,
// so it runs unchanged in a browser and in Node 20. docs/requests.md describes it.
//
//   requester  an ECDH P-256 pair made by the requester's browser or terminal. Its public key is the
//              request link's fragment: the uncompressed point 0x04 ‖ x ‖ y, 65 bytes (87 base64url
//              characters). Its private key is the requester link's fragment: d ‖ x ‖ y, 96 bytes (128).
//   sender     an ephemeral ECDH P-256 pair per answer; its public point (65 bytes) is stored with the
//              answer, its private key is dropped once the answer is sealed.
//   shared     ECDH(sender private, requester public) = ECDH(requester private, sender public):
//              the x coordinate, 32 bytes
//   k          HKDF-SHA-256(shared, salt: sender public ‖ requester public, info: "onetime request v1",
//              32 bytes): the key of an ordinary zero-knowledge secret (zk.ts), which seals the answer

import { concat, fromBase64Url, toBase64Url } from "./zk.js";

export const POINT_BYTES = 65;
export const PRIVATE_BYTES = 96;
const COORD = 32;
const INFO = new TextEncoder().encode("onetime request v1");
const CURVE = { name: "ECDH", namedCurve: "P-256" } as const;

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new Error("WebCrypto is not available (a secure context is required)");
  return s;
}

export interface RequesterKeys {
  /** 0x04 ‖ x ‖ y: the request link's fragment. */
  publicKey: Uint8Array;
  /** d ‖ x ‖ y: the requester link's fragment; never sent to a server. */
  privateKey: Uint8Array;
}

async function exportPair(pair: CryptoKeyPair): Promise<RequesterKeys> {
  const jwk = await subtle().exportKey("jwk", pair.privateKey);
  const d = fromBase64Url(jwk.d ?? "");
  const x = fromBase64Url(jwk.x ?? "");
  const y = fromBase64Url(jwk.y ?? "");
  return { publicKey: concat(Uint8Array.of(4), x, y), privateKey: concat(d, x, y) };
}

/** A new requester pair. */
export async function newRequesterKeys(): Promise<RequesterKeys> {
  return exportPair(await subtle().generateKey(CURVE, true, ["deriveBits"]));
}

/** The public point of a private key (its x and y are carried with d). */
export function publicOfPrivate(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== PRIVATE_BYTES) throw new Error("a requester's private key is 96 bytes");
  return concat(Uint8Array.of(4), privateKey.subarray(COORD));
}

function importPrivate(privateKey: Uint8Array): Promise<CryptoKey> {
  if (privateKey.length !== PRIVATE_BYTES) throw new Error("a requester's private key is 96 bytes");
  const part = (i: number) => toBase64Url(privateKey.subarray(i * COORD, (i + 1) * COORD));
  const jwk = { kty: "EC", crv: "P-256", d: part(0), x: part(1), y: part(2), ext: true };
  // WebCrypto checks that the point is on the curve and matches d.
  return subtle().importKey("jwk", jwk, CURVE, true, ["deriveBits"]);
}

function importPublic(point: Uint8Array): Promise<CryptoKey> {
  if (point.length !== POINT_BYTES || point[0] !== 4) throw new Error("a public key is a 65-byte point");
  return subtle().importKey("raw", concat(point), CURVE, true, []);
}

async function agree(own: CryptoKey, peer: Uint8Array, sender: Uint8Array, requester: Uint8Array) {
  const shared = await subtle().deriveBits({ name: "ECDH", public: await importPublic(peer) }, own, 256);
  const base = await subtle().importKey("raw", shared, "HKDF", false, ["deriveBits"]);
  const k = await subtle().deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: concat(sender, requester), info: INFO },
    base,
    256,
  );
  return new Uint8Array(k);
}

export interface AnswerKey {
  /** The zero-knowledge key that seals the answer (zk.ts). */
  k: Uint8Array;
  /** The sender's ephemeral public point, stored with the answer. */
  senderKey: Uint8Array;
}

/** The sender's side with a given ephemeral private key (d ‖ x ‖ y): for test vectors only. */
export async function answerKeyWith(requesterPublic: Uint8Array, ephemeral: Uint8Array): Promise<AnswerKey> {
  const senderKey = publicOfPrivate(ephemeral);
  const k = await agree(await importPrivate(ephemeral), requesterPublic, senderKey, requesterPublic);
  return { k, senderKey };
}

/** The sender's side: a fresh ephemeral pair, and the key its answer is sealed with. */
export async function answerKey(requesterPublic: Uint8Array): Promise<AnswerKey> {
  const pair = await subtle().generateKey(CURVE, true, ["deriveBits"]);
  return answerKeyWith(requesterPublic, (await exportPair(pair)).privateKey);
}

/** The requester's side: the key of one answer, from the private key and the answer's sender key. */
export async function openAnswerKey(
  requesterPrivate: Uint8Array,
  senderKey: Uint8Array,
): Promise<Uint8Array> {
  const requesterPublic = publicOfPrivate(requesterPrivate);
  return agree(await importPrivate(requesterPrivate), senderKey, senderKey, requesterPublic);
}

/** A fragment's public key (with or without "#"); throws on anything but a 65-byte point. */
export function decodePublicKey(text: string): Uint8Array {
  const s = text.startsWith("#") ? text.slice(1) : text;
  const point = fromBase64Url(s);
  if (point.length !== POINT_BYTES || point[0] !== 4) throw new Error("not a request's public key");
  return point;
}

/** A fragment's private key (with or without "#"); throws on anything but 96 bytes. */
export function decodePrivateKey(text: string): Uint8Array {
  const s = text.startsWith("#") ? text.slice(1) : text;
  const key = fromBase64Url(s);
  if (key.length !== PRIVATE_BYTES) throw new Error("not a requester's private key");
  return key;
}

export const encodeRequestKey = (key: Uint8Array): string => toBase64Url(key);
