// A zero-knowledge client written with Node's WebCrypto and src/crypto/zk.ts over API v2, step by
// step as the page script does it: seal and create; look, derive the proof, reveal and open. The
// server-side suite and the terminal client's interop tests use it as "the browser".
import assert from "node:assert/strict";
import * as zk from "../../src/crypto/zk.js";
import type { Server } from "./server-process.js";

export type Json = Record<string, unknown>;
export const b64 = zk.toBase64Url;

export async function call(server: Server, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text) as Json, text };
}
export const v2 = (s: Server, method: string, path: string, body?: unknown) =>
  call(s, method, `/api/v2${path}`, body);
export const record = (a: { body: Json }) => a.body.record as Json;

/** Seals `text` on the client and creates it through API v2; returns what the sender keeps. */
export async function shareClient(server: Server, text: string, passphrase?: string) {
  const k = zk.newKey();
  const p = passphrase === undefined ? undefined : { passphrase, ...zk.newKdf() };
  const { blob, proof } = await zk.seal(text, k, p);
  const kdf = p === undefined ? undefined : { salt: b64(p.salt), iterations: p.iterations };
  const made = await v2(server, "POST", "/secret/conceal", {
    secret: { ciphertext: b64(blob), proof: b64(proof), kdf, ttl: 3600 },
  });
  assert.equal(made.status, 200, made.text);
  const secretKey = (record(made).secret as Json).key as string;
  return { k, p, secretKey, metadataKey: (record(made).receipt as Json).key as string, made };
}

/** What a reader does with `link#k`: look, derive the proof, reveal, open. */
export async function revealClient(server: Server, secretKey: string, k: Uint8Array, passphrase?: string) {
  const look = await v2(server, "GET", `/secret/${secretKey}`);
  assert.equal(look.status, 200, look.text);
  const kdf = record(look).kdf as { salt: string; iterations: number } | undefined;
  const p =
    kdf === undefined || passphrase === undefined
      ? undefined
      : { passphrase, salt: zk.fromBase64Url(kdf.salt), iterations: kdf.iterations };
  const proof = await zk.proofFor(k, p);
  const answer = await v2(server, "POST", `/secret/${secretKey}/reveal`, { proof: b64(proof) });
  if (answer.status !== 200) return { answer, text: null };
  return { answer, text: await zk.open(zk.fromBase64Url(record(answer).ciphertext as string), k, p) };
}
