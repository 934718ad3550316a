// Files through API v2 over a real socket, every answer checked against the OpenAPI document: a text
// alone, a file of every byte value, an empty file, exactly FILE_MAX_BYTES and one byte over (413
// file_too_large, nothing stored), a body past the raised limit of conceal (and not of other routes),
// strict base64, a client-encrypted file (the blob opened with the AAD's file flag), and the same at
// the real default cap of 5 MiB.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { decodeEnvelope, encodeEnvelope } from "../src/crypto/envelope.js";
import * as zk from "../src/crypto/zk.js";
import { secretRows } from "./support/actions.js";
import { makeTestApp } from "./support/helpers.js";
import { checkerFor, type Json, v2Client } from "./support/v2-support.js";

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

/** A v2 client on a fresh app, with its row counter. */
async function harness(env: Record<string, string>) {
  const t = await makeTestApp(env);
  const call = v2Client(t.app, await checkerFor(t.app));
  const rows = () => secretRows(t.dataDir);
  const conceal = async (secret: Json) => {
    const res = await call("POST", "/secret/conceal", { json: { secret } });
    assert.equal(res.status, 200, res.raw.slice(0, 300));
    const record = res.body.record as Json;
    return { receipt: record.receipt as Json, secret: record.secret as Json };
  };
  const reveal = async (key: unknown, body: Json = {}) => {
    const res = await call("POST", `/secret/${key}/reveal`, { json: body });
    assert.equal(res.status, 200, res.raw.slice(0, 300));
    return res.body.record as Json;
  };
  return { t, call, rows, conceal, reveal };
}

describe("files through API v2 (FILE_MAX_BYTES=4096)", () => {
  const MAX = 4096;
  let h: Awaited<ReturnType<typeof harness>>;
  before(async () => {
    h = await harness({ FILE_MAX_BYTES: String(MAX), SECRET_MAX_LENGTH: "1000" });
  });
  after(() => h.t.close());

  test("a text alone: has_file false everywhere, no file in the answer", async () => {
    const made = await h.conceal({ secret: "only text" });
    assert.equal(made.secret.has_file, false);
    assert.equal(made.receipt.has_file, false);
    const got = await h.reveal(made.secret.key);
    assert.deepEqual([got.secret_value, got.has_file, got.file], ["only text", false, undefined]);
  });

  test("a text and a file of every byte value: byte for byte, with its cleaned name, type and size", async () => {
    const file = {
      name: "C:\\keys\\all bytes.bin",
      type: "Application/X-Thing; q=1",
      content: b64(ALL_BYTES),
    };
    const made = await h.conceal({ secret: "with a file", file });
    assert.equal(made.secret.has_file, true);
    assert.equal(made.receipt.has_file, true);
    const look = await h.call("GET", `/secret/${made.secret.key}`);
    assert.equal((look.body.record as Json).has_file, true);
    const got = await h.reveal(made.secret.key);
    assert.equal(got.secret_value, "with a file");
    assert.equal(got.has_file, true);
    assert.deepEqual(got.file, {
      name: "all bytes.bin",
      type: "application/x-thing",
      size: 256,
      content: b64(ALL_BYTES),
    });
    const receipt = await h.call("GET", `/receipt/${made.receipt.key}`);
    assert.deepEqual(
      [(receipt.body.record as Json).state, (receipt.body.record as Json).has_file],
      ["revealed", true],
    );
  });

  test("an empty file alone, and a form body with nested names", async () => {
    const made = await h.conceal({ file: { name: "empty", content: "" } });
    const got = await h.reveal(made.secret.key);
    assert.deepEqual(got.file, { name: "empty", type: "application/octet-stream", size: 0, content: "" });
    assert.equal(got.secret_value, "");
    const form = await h.call("POST", "/secret/conceal", {
      form: `secret[file][name]=f.txt&secret[file][content]=${encodeURIComponent(b64(Buffer.from("hi/+")))}`,
    });
    assert.equal(form.status, 200, form.raw);
    const key = ((form.body.record as Json).secret as Json).key;
    assert.equal(((await h.reveal(key)).file as Json).content, b64(Buffer.from("hi/+")));
  });

  test("exactly FILE_MAX_BYTES is kept; one byte more is 413 file_too_large and nothing is stored", async () => {
    const exact = Buffer.alloc(MAX, 0x5a);
    const made = await h.conceal({ secret: "at the cap", file: { name: "cap.bin", content: b64(exact) } });
    assert.equal(((await h.reveal(made.secret.key)).file as Json).content, b64(exact));
    const before = h.rows();
    const over = await h.call("POST", "/secret/conceal", {
      json: { secret: { secret: "over", file: { name: "over.bin", content: b64(Buffer.alloc(MAX + 1)) } } },
    });
    assert.equal(over.status, 413);
    assert.deepEqual(over.body, {
      error: `File exceeds the maximum size of ${MAX} bytes`,
      error_type: "PayloadTooLarge",
      field: "file",
    });
    // A body past conceal's raised limit is the file's error too; other routes keep BODY_LIMIT.
    const huge = JSON.stringify({ secret: { file: { content: "A".repeat(2 * 65536 + 8 * MAX) } } });
    const past = await h.call("POST", "/secret/conceal", {
      payload: huge,
      headers: { "content-type": "application/json" },
    });
    assert.deepEqual([past.status, past.body.error_type, past.body.field], [413, "PayloadTooLarge", "file"]);
    const generate = await h.call("POST", "/secret/generate", {
      payload: JSON.stringify({ secret: { file: { content: "A".repeat(65536) } } }),
      headers: { "content-type": "application/json" },
    });
    assert.deepEqual([generate.status, generate.body.field], [413, "secret"]);
    assert.deepEqual(h.rows(), before, "nothing stored");
  });

  test("content is strict base64; has_file only beside a ciphertext; a file never beside one", async () => {
    for (const content of ["AAA", "AB==", "A=AA", "_-8=", "AA AA==="]) {
      const res = await h.call("POST", "/secret/conceal", { json: { secret: { file: { content } } } });
      assert.equal(res.status, 422, content);
      assert.equal(res.body.error_type, "ValidationError", content);
    }
    const flag = await h.call("POST", "/secret/conceal", {
      json: { secret: { secret: "x", has_file: true } },
    });
    assert.deepEqual([flag.status, flag.body.field], [422, "has_file"]);
    const k = zk.newKey();
    const { blob, proof } = await zk.seal("x", k);
    const both = await h.call("POST", "/secret/conceal", {
      json: {
        secret: { ciphertext: zk.toBase64Url(blob), proof: zk.toBase64Url(proof), file: { content: "" } },
      },
    });
    assert.deepEqual([both.status, both.body.field], [422, "file"]);
  });

  test("a client-encrypted file: has_file on the look, the blob opens only with the file flag", async () => {
    const k = zk.newKey();
    const envelope = encodeEnvelope({
      text: "zk text",
      file: { name: "secret.key", type: "application/pkcs8", bytes: ALL_BYTES },
    });
    const { blob, proof } = await zk.sealBytes(envelope, k, { file: true });
    const made = await h.conceal({
      ciphertext: zk.toBase64Url(blob),
      proof: zk.toBase64Url(proof),
      has_file: true,
    });
    assert.deepEqual([made.secret.has_file, made.receipt.has_file], [true, true]);
    const look = (await h.call("GET", `/secret/${made.secret.key}`)).body.record as Json;
    assert.deepEqual([look.encryption, look.has_file], ["client", true]);
    const got = await h.reveal(made.secret.key, { proof: zk.toBase64Url(proof) });
    assert.equal(got.file, undefined, "the server never has a client secret's file");
    const sealed = zk.fromBase64Url(got.ciphertext as string);
    await assert.rejects(zk.openBytes(sealed, k), "a server that says 'no file' cannot be believed");
    const opened = decodeEnvelope(await zk.openBytes(sealed, k, { file: true }));
    assert.equal(opened.text, "zk text");
    assert.deepEqual([opened.file.name, opened.file.type], ["secret.key", "application/pkcs8"]);
    assert.deepEqual(Buffer.from(opened.file.bytes), ALL_BYTES);
  });
});

describe("files through API v2 at the default cap (5 MiB)", () => {
  let h: Awaited<ReturnType<typeof harness>>;
  before(async () => {
    h = await harness({});
  });
  after(() => h.t.close());

  test("5,242,880 bytes round-trip byte for byte; 5,242,881 are refused and nothing is stored", async () => {
    assert.equal(h.t.deps.config.files.maxBytes, 5 * 1024 * 1024);
    const bytes = Buffer.alloc(5 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >> 11)) & 0xff;
    const made = await h.conceal({
      secret: "five mebibytes",
      file: { name: "big.bin", content: b64(bytes) },
    });
    const got = await h.reveal(made.secret.key);
    assert.equal((got.file as Json).size, bytes.length);
    assert.ok(Buffer.from((got.file as Json).content as string, "base64").equals(bytes));
    const before = h.rows();
    const over = await h.call("POST", "/secret/conceal", {
      json: { secret: { file: { name: "over.bin", content: b64(Buffer.concat([bytes, Buffer.of(1)])) } } },
    });
    assert.deepEqual([over.status, over.body.error_type], [413, "PayloadTooLarge"]);
    assert.deepEqual(h.rows(), before);
  });
});
