import assert from "node:assert/strict";
import { createCipheriv, hkdfSync, pbkdf2Sync } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ZK_VECTORS, type ZkVector } from "../../test/support/zk-vectors.js";
import { decodeEnvelope, encodeEnvelope } from "./envelope.js";
import * as zk from "./zk.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));
const passphraseOf = (v: ZkVector) =>
  v.passphrase === undefined
    ? undefined
    : { passphrase: v.passphrase, salt: unhex(v.salt ?? ""), iterations: v.iterations ?? 0 };

/** A content envelope written again from docs/zero-knowledge.md (names and types already clean). */
function nodeEnvelope(text: string, file: NonNullable<ZkVector["file"]>): Buffer {
  const t = Buffer.from(text, "utf8");
  const name = Buffer.from(file.name, "utf8");
  const type = Buffer.from(file.type, "ascii");
  const textLength = Buffer.alloc(4);
  textLength.writeUInt32BE(t.length);
  const nameLength = Buffer.alloc(2);
  nameLength.writeUInt16BE(name.length);
  const rest = [name, Buffer.of(type.length), type, Buffer.from(file.bytes, "hex")];
  return Buffer.concat([Buffer.of(1), textLength, t, nameLength, ...rest]);
}

/** A vector's plaintext: its text's UTF-8, or the envelope of its text and file. */
const plaintextOf = (v: ZkVector) =>
  v.file === undefined ? new TextEncoder().encode(v.text) : encodeEnvelope(fileOf(v));
const fileOf = (v: ZkVector) => ({
  text: v.text,
  file: { name: v.file?.name ?? "", type: v.file?.type ?? "", bytes: unhex(v.file?.bytes ?? "") },
});

/** The format written again with node:crypto alone, from docs/zero-knowledge.md: a second implementation. */
function nodeSeal(v: ZkVector) {
  const k = Buffer.from(v.k, "hex");
  const pw =
    v.passphrase === undefined
      ? Buffer.alloc(0)
      : pbkdf2Sync(
          Buffer.from(v.passphrase, "utf8"),
          Buffer.from(v.salt ?? "", "hex"),
          v.iterations ?? 0,
          32,
          "sha256",
        );
  const ikm = Buffer.concat([k, pw]);
  const expand = (label: string) => Buffer.from(hkdfSync("sha256", ikm, Buffer.alloc(0), label, 32));
  const iters = Buffer.alloc(4);
  iters.writeUInt32BE(v.iterations ?? 0);
  const flags = (v.passphrase === undefined ? 0 : 1) | (v.file === undefined ? 0 : 2);
  const aad = Buffer.concat([
    Buffer.from("onetime zk v1\0", "latin1"),
    Buffer.of(flags),
    ...(v.passphrase === undefined ? [] : [Buffer.from(v.salt ?? "", "hex"), iters]),
  ]);
  const plain = v.file === undefined ? Buffer.from(v.text, "utf8") : nodeEnvelope(v.text, v.file);
  const cipher = createCipheriv("aes-256-gcm", expand("onetime zk v1 enc"), Buffer.from(v.iv, "hex"));
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    blob: Buffer.concat([Buffer.of(1), Buffer.from(v.iv, "hex"), body]),
    proof: expand("onetime zk v1 proof"),
  };
}

describe("zk format v1", () => {
  for (const v of ZK_VECTORS) {
    it(`test vector "${v.name}": WebCrypto gives the fixture's blob and proof`, async () => {
      const passphrase = passphraseOf(v);
      const file = v.file !== undefined;
      const sealed =
        v.file === undefined
          ? await zk.sealWithIv(v.text, unhex(v.k), unhex(v.iv), passphrase)
          : await zk.sealBytesWithIv(plaintextOf(v), unhex(v.k), unhex(v.iv), { passphrase, file });
      assert.equal(hex(sealed.blob), v.blob);
      assert.equal(hex(sealed.proof), v.proof);
      assert.equal(hex(await zk.proofFor(unhex(v.k), passphrase)), v.proof);
      const opened = await zk.openBytes(unhex(v.blob), unhex(v.k), { passphrase, file });
      assert.equal(hex(opened), hex(plaintextOf(v)));
      if (v.file === undefined) {
        assert.equal(await zk.open(unhex(v.blob), unhex(v.k), passphrase), v.text);
      } else {
        assert.equal(hex(opened), v.plaintext);
        const { text, file: got } = decodeEnvelope(opened);
        assert.deepEqual(
          { text, name: got.name, type: got.type, bytes: hex(got.bytes) },
          { text: v.text, ...v.file },
        );
        // The AAD's file flag: the same blob does not open as a text, whatever a server says.
        await assert.rejects(zk.open(unhex(v.blob), unhex(v.k), passphrase));
      }
      assert.equal(zk.encodeKey(unhex(v.k)), v.k_b64url);
      assert.equal(zk.plaintextBytes(sealed.blob.length), plaintextOf(v).length);
    });
    it(`test vector "${v.name}": node:crypto, written from the docs, agrees`, () => {
      const node = nodeSeal(v);
      assert.equal(node.blob.toString("hex"), v.blob);
      assert.equal(node.proof.toString("hex"), v.proof);
      if (v.file !== undefined) assert.equal(nodeEnvelope(v.text, v.file).toString("hex"), v.plaintext);
    });
  }

  it("round-trips with random keys; a wrong key, passphrase or altered blob does not open", async () => {
    const k = zk.newKey();
    const kdf = { ...zk.newKdf(), iterations: 1000 };
    const p = { passphrase: "right", ...kdf };
    const { blob, proof } = await zk.seal("the text", k, p);
    assert.equal(await zk.open(blob, k, p), "the text");
    assert.equal(zk.newKdf().iterations, 600_000);
    await assert.rejects(zk.open(blob, zk.newKey(), p));
    await assert.rejects(zk.open(blob, k, { ...p, passphrase: "wrong" }));
    await assert.rejects(zk.open(blob, k, { ...p, iterations: 1001 }), "the iterations are bound by the AAD");
    await assert.rejects(zk.open(blob, k));
    const altered = blob.slice();
    altered[20] = (altered[20] ?? 0) ^ 1;
    await assert.rejects(zk.open(altered, k, p));
    assert.notEqual(hex(await zk.proofFor(k, { ...p, passphrase: "wrong" })), hex(proof));
    assert.notEqual(hex((await zk.seal("the text", k, p)).blob), hex(blob), "a fresh iv each time");
  });

  it("a text blob does not open as a file, nor a file blob as a text", async () => {
    const k = zk.newKey();
    const text = await zk.seal("just text", k);
    await assert.rejects(zk.openBytes(text.blob, k, { file: true }));
    assert.equal(new TextDecoder().decode(await zk.openBytes(text.blob, k)), "just text");
    const envelope = encodeEnvelope({ text: "", file: { name: "a.bin", type: "", bytes: Uint8Array.of(0) } });
    const file = await zk.sealBytes(envelope, k, { file: true });
    await assert.rejects(zk.openBytes(file.blob, k));
    assert.deepEqual(await zk.openBytes(file.blob, k, { file: true }), envelope);
  });

  it("gives the text back byte for byte, a leading byte order mark included", async () => {
    const k = zk.newKey();
    for (const text of ["\uFEFFfirst\r\nsecond\n", "\uFEFF", "x\uFEFF", "🔑\u0000"]) {
      const { blob } = await zk.seal(text, k);
      assert.deepEqual(new TextEncoder().encode(await zk.open(blob, k)), new TextEncoder().encode(text));
    }
  });

  it("keys are 43 strict base64url characters", () => {
    const k = zk.newKey();
    const s = zk.encodeKey(k);
    assert.match(s, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(zk.decodeKey(s), k);
    assert.deepEqual(zk.decodeKey(`#${s}`), k);
    for (const bad of [
      "",
      s.slice(1),
      `${s}A`,
      `${s.slice(0, 42)}+`,
      `${s.slice(0, 42)}=`,
      `${s.slice(0, 42)}B`,
    ]) {
      assert.throws(() => zk.decodeKey(bad), `refuses ${JSON.stringify(bad)}`);
    }
  });

  it("base64url matches Node's for every length and refuses non-canonical text", () => {
    for (let n = 0; n < 40; n++) {
      const data = new Uint8Array(Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255)));
      const text = Buffer.from(data).toString("base64url");
      assert.equal(zk.toBase64Url(data), text);
      assert.deepEqual(zk.fromBase64Url(text), data);
    }
    for (const bad of ["A", "AB=", "A+", "A/", "AB", "ABC"]) assert.throws(() => zk.fromBase64Url(bad), bad);
    assert.deepEqual(zk.fromBase64Url("AA"), Uint8Array.of(0));
  });

  it("imports nothing and names no Buffer: the page script bundles it unchanged", () => {
    const source = readFileSync(new URL("./zk.ts", import.meta.url), "utf8");
    assert.doesNotMatch(source, /^import /m);
    assert.doesNotMatch(source, /\bBuffer\.|\bprocess\.|require\(|from "node:/);
  });

  it("refuses parameters outside the format", async () => {
    const k = zk.newKey();
    await assert.rejects(zk.seal("x", k.subarray(1)));
    await assert.rejects(zk.seal("x", k, { passphrase: "p", salt: new Uint8Array(8), iterations: 1000 }));
    await assert.rejects(zk.seal("x", k, { passphrase: "p", salt: new Uint8Array(16), iterations: 0 }));
    await assert.rejects(zk.open(Uint8Array.of(2, ...new Uint8Array(40)), k));
  });
});
