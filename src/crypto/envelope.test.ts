import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  cleanFileName,
  cleanMediaType,
  DEFAULT_TYPE,
  decodeEnvelope,
  ENVELOPE_MAX_OVERHEAD,
  EnvelopeError,
  encodeEnvelope,
} from "./envelope.js";

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);
const utf8 = (s: string) => Buffer.byteLength(s, "utf8");

function roundTrip(text: string, name: string, type: string, bytes: Uint8Array) {
  const decoded = decodeEnvelope(encodeEnvelope({ text, file: { name, type, bytes } }));
  assert.equal(decoded.text, text);
  assert.equal(decoded.file.name, cleanFileName(name));
  assert.equal(decoded.file.type, cleanMediaType(type));
  assert.deepEqual(Buffer.from(decoded.file.bytes), Buffer.from(bytes));
  return decoded;
}

describe("content envelope", () => {
  it("round-trips an empty file, every byte value, and unicode names and texts", () => {
    roundTrip("", "empty", "text/plain", new Uint8Array(0));
    roundTrip("", "all.bin", "application/octet-stream", ALL_BYTES);
    roundTrip("\uFEFFZürich 東京 🔑\r\n\u0000", "Résumé 東京 🔑.pdf", "application/pdf", ALL_BYTES);
    // Text and bytes that look like an envelope's own header change nothing.
    const inner = encodeEnvelope({ text: "x", file: { name: "n", type: "a/b", bytes: ALL_BYTES } });
    roundTrip(new TextDecoder().decode(inner.subarray(0, 5)), "inner", "a/b", inner);
  });

  it("lays the bytes out as docs/zero-knowledge.md says", () => {
    const got = encodeEnvelope({
      text: "hi",
      file: { name: "é.txt", type: "Text/Plain", bytes: Uint8Array.of(0, 255) },
    });
    const want = Buffer.concat([
      Buffer.from("01" + "00000002", "hex"),
      Buffer.from("hi"),
      Buffer.from("0006", "hex"),
      Buffer.from("é.txt"),
      Buffer.of(10),
      Buffer.from("text/plain"),
      Buffer.of(0, 255),
    ]);
    assert.equal(Buffer.from(got).toString("hex"), want.toString("hex"));
  });

  it("round-trips anything fast-check can make", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.string({ unit: "binary" }),
        fc.string(),
        fc.uint8Array(),
        (text, name, type, bytes) => {
          const decoded = roundTrip(text, name, type, bytes);
          assert.ok(
            ENVELOPE_MAX_OVERHEAD >=
              encodeEnvelope({ text, file: { name, type, bytes } }).length - utf8(text) - bytes.length,
          );
          assert.equal(cleanFileName(decoded.file.name), decoded.file.name, "cleaning twice changes nothing");
        },
      ),
    );
  });

  it("refuses malformed envelopes with a typed error", () => {
    const good = encodeEnvelope({
      text: "abc",
      file: { name: "a.txt", type: "text/plain", bytes: Uint8Array.of(1, 2) },
    });
    const head = 1 + 4 + 3 + 2 + 5 + 1 + 10; // everything before the file's bytes
    const refused = (b: Uint8Array, why: string) =>
      assert.throws(() => decodeEnvelope(b), EnvelopeError, why);
    /** The good envelope with some bytes changed (offset: new value). */
    const patched = (changes: Record<number, number>) => {
      const b = good.slice();
      for (const [at, value] of Object.entries(changes)) b[Number(at)] = value;
      return b;
    };
    refused(new Uint8Array(0), "empty");
    refused(good.subarray(0, 1), "the version alone");
    refused(patched({ 0: 2 }), "another version");
    refused(patched({ 4: 200 }), "the text runs past the end");
    refused(patched({ 1: 0xff }), "a 4 GiB text");
    refused(patched({ 5: 0xc3, 6: 0x28 }), "a text that is not UTF-8");
    refused(patched({ 9: 0 }), "name length 0: not clean");
    refused(patched({ 8: 1, 9: 0 }), "name length 256");
    refused(patched({ 9: 0xf0 }), "the name runs past the end");
    refused(patched({ 10: 0x2f }), '"/.txt": a path separator in the name');
    refused(patched({ 10: 0x07 }), "a control character in the name");
    refused(patched({ 10: 0x20 }), '" .txt": a name with a leading space');
    refused(patched({ 10: 0xff }), "a name that is not UTF-8");
    refused(patched({ 15: 0 }), "type length 0");
    refused(patched({ 15: 200 }), "the type runs past the end");
    refused(patched({ 16: 0x54 }), '"Text/plain": not lowercased');
    refused(good.subarray(0, head - 1), "cut inside the type");
    assert.equal(
      decodeEnvelope(good.subarray(0, head)).file.bytes.length,
      0,
      "cut before the bytes: an empty file",
    );
  });

  it("cleans names: the last segment, no controls or overrides, at most 255 bytes, never empty", () => {
    assert.equal(cleanFileName("../../etc/passwd"), "passwd");
    assert.equal(cleanFileName("C:\\Users\\me\\id_rsa"), "id_rsa");
    assert.equal(cleanFileName("dir/"), "file");
    assert.equal(cleanFileName(""), "file");
    assert.equal(cleanFileName(" . "), "file");
    assert.equal(cleanFileName(".."), "file");
    assert.equal(cleanFileName(".env"), ".env");
    assert.equal(cleanFileName("a\u0000b\nc\u007f\u0085.txt"), "abc.txt");
    assert.equal(cleanFileName("invoice\u202Efdp.exe"), "invoicefdp.exe");
    assert.equal(cleanFileName("  spaced name.txt  "), "spaced name.txt");
    assert.equal(cleanFileName("x\uD800y"), "x\uFFFDy");
    const long = `${"é".repeat(200)}.tar.gz`;
    const cut = cleanFileName(long);
    assert.ok(utf8(cut) <= 255 && utf8(cut) >= 250, `${utf8(cut)} bytes`);
    assert.ok(cut.endsWith("é.gz"), "a short extension is kept");
    assert.equal(utf8(cleanFileName("🔑".repeat(100))), 252, "whole characters only");
  });

  it("cleans media types to a lowercased type/subtype, else application/octet-stream", () => {
    assert.equal(cleanMediaType("Text/HTML; charset=UTF-8"), "text/html");
    assert.equal(cleanMediaType("image/svg+xml"), "image/svg+xml");
    assert.equal(
      cleanMediaType("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    for (const bad of [
      "",
      "text",
      "text/",
      "/plain",
      "text/plain/x",
      "tëxt/plain",
      "text /plain",
      `a/${"b".repeat(126)}`,
    ]) {
      assert.equal(cleanMediaType(bad), DEFAULT_TYPE, JSON.stringify(bad));
    }
  });

  it("imports nothing and names no Buffer: the page script bundles it unchanged", () => {
    const source = readFileSync(new URL("./envelope.ts", import.meta.url), "utf8");
    assert.doesNotMatch(source, /^import /m);
    assert.doesNotMatch(source, /\bBuffer\.|\bprocess\.|require\(|from "node:/);
  });
});
