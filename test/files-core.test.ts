// Files in the core, called as every surface calls it: the create and reveal actions on a real SQLite
// store. A file (any bytes, an empty one too) travels with or without a text, byte for byte; one over
// FILE_MAX_BYTES is refused with nothing stored; a text alone is stored exactly as before files; a
// client secret's file counts its envelope; API v1, whose clients know nothing of files, is refused a
// file secret without consuming it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { conceal } from "../src/actions/create.js";
import type { Caller } from "../src/actions/deps.js";
import { inspectSecret } from "../src/actions/inspect.js";
import { reveal } from "../src/actions/reveal.js";
import { ENVELOPE_MAX_OVERHEAD } from "../src/crypto/envelope.js";
import {
  CLIENT_BLOB_OVERHEAD,
  ENVELOPE_MAX_OVERHEAD as DOMAIN_OVERHEAD,
} from "../src/domain/client-secret.js";
import type { ErrorCode } from "../src/domain/errors.js";
import { secretRows } from "./support/actions.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";

const FILE_MAX = 1000;
const TEXT_MAX = 100;
const ANYONE: Caller = { ip: "192.0.2.30", account: null };
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

let t: TestApp;
before(async () => {
  t = await makeTestApp({ FILE_MAX_BYTES: String(FILE_MAX), SECRET_MAX_LENGTH: String(TEXT_MAX) });
});
after(() => t.close());

const failsWith = (attempt: Promise<unknown>, code: ErrorCode) =>
  assert.rejects(attempt, { name: "AppError", code });

const rows = () => secretRows(t.dataDir);

async function share(input: Partial<Parameters<typeof conceal>[2]>) {
  const view = await conceal(t.deps, ANYONE, { recipients: [], ...input });
  assert.ok(view.secretKey !== null);
  return { view, secretKey: view.secretKey };
}

describe("server secrets with a file", () => {
  test("a text and a file of every byte value come back byte for byte, once", async () => {
    const file = { name: "../keys/all bytes.bin", type: "Application/Octet-Stream", bytes: ALL_BYTES };
    const { view, secretKey } = await share({ secret: "the key, as asked", file });
    assert.equal(view.hasFile, true);
    const header = await t.deps.store.secrets.peek(t.deps.vault.secretId(secretKey), t.deps.now());
    assert.equal(header?.hasFile, true);
    const got = await reveal(t.deps, ANYONE, { secretKey });
    assert.equal(got.value, "the key, as asked");
    assert.equal(got.hasFile, true);
    assert.deepEqual(got.file, { name: "all bytes.bin", type: "application/octet-stream", bytes: ALL_BYTES });
    await failsWith(reveal(t.deps, ANYONE, { secretKey }), "unknown_secret");
  });

  test("a file alone, an empty one included, with a passphrase", async () => {
    const file = { name: "empty.txt", type: "", bytes: new Uint8Array(0) };
    const { secretKey } = await share({ file, passphrase: "open sesame" });
    await failsWith(reveal(t.deps, ANYONE, { secretKey, passphrase: "wrong" }), "wrong_passphrase");
    const got = await reveal(t.deps, ANYONE, { secretKey, passphrase: "open sesame" });
    assert.equal(got.value, "");
    assert.deepEqual(got.file, {
      name: "empty.txt",
      type: "application/octet-stream",
      bytes: Buffer.alloc(0),
    });
    await failsWith(share({ secret: "" }), "nothing_to_share");
  });

  test("exactly FILE_MAX_BYTES is kept; one byte more is refused and nothing is stored", async () => {
    const bytes = Buffer.alloc(FILE_MAX, 0xab);
    const { secretKey } = await share({ file: { name: "max.bin", type: "", bytes } });
    assert.deepEqual((await reveal(t.deps, ANYONE, { secretKey })).file?.bytes, bytes);
    const before = rows();
    const over = { name: "over.bin", type: "", bytes: Buffer.alloc(FILE_MAX + 1) };
    await assert.rejects(share({ secret: "with it", file: over }), {
      code: "file_too_large",
      details: { max: FILE_MAX },
    });
    await failsWith(
      share({ secret: "x".repeat(TEXT_MAX + 1), file: { ...over, bytes: bytes } }),
      "secret_too_large",
    );
    assert.deepEqual(rows(), before);
  });

  test("a text alone is stored as before files: bare UTF-8, no file", async () => {
    const { view, secretKey } = await share({ secret: "plain" });
    assert.equal(view.hasFile, false);
    const row = await t.deps.store.secrets.peek(t.deps.vault.secretId(secretKey), t.deps.now());
    assert.equal(row?.hasFile, false);
    const got = await reveal(t.deps, ANYONE, { secretKey });
    assert.deepEqual([got.value, got.file, got.hasFile], ["plain", null, false]);
  });
});

describe("client secrets with a file", () => {
  const blob = (plaintext: number) => Uint8Array.from({ length: plaintext + CLIENT_BLOB_OVERHEAD }, () => 1);
  const client = (plaintext: number, hasFile: boolean) => ({
    blob: blob(plaintext),
    proof: new Uint8Array(32).fill(7),
    kdf: null,
    hasFile,
  });

  test("the domain's bound on an envelope's header is the envelope module's", () => {
    assert.equal(DOMAIN_OVERHEAD, ENVELOPE_MAX_OVERHEAD);
  });

  test("the envelope counts against file + text + header; the flag is kept and handed out", async () => {
    const max = FILE_MAX + TEXT_MAX + ENVELOPE_MAX_OVERHEAD;
    const before = rows();
    await failsWith(share({ client: client(max + 1, true) }), "file_too_large");
    await failsWith(share({ client: client(TEXT_MAX + 1, false) }), "secret_too_large");
    assert.deepEqual(rows(), before);
    const { view, secretKey } = await share({ client: client(max, true) });
    assert.equal(view.hasFile, true);
    assert.equal((await inspectSecret(t.deps, ANYONE, secretKey)).client !== null, true);
    const got = await reveal(t.deps, ANYONE, { secretKey, proof: new Uint8Array(32).fill(7) });
    assert.equal(got.hasFile, true);
    assert.equal(got.file, null, "the server never has a client secret's file");
    assert.equal(got.blob?.length, max + CLIENT_BLOB_OVERHEAD);
  });

  test("a file beside a client blob is refused: it would be stored in the clear", async () => {
    const file = { name: "a", type: "", bytes: Uint8Array.of(1) };
    await assert.rejects(share({ client: client(10, true), file }), {
      code: "invalid_param",
      details: { field: "file" },
    });
  });
});

describe("API v1 stays text-only", () => {
  test("a v1 reveal of a file secret says why and consumes nothing", async () => {
    const { secretKey } = await share({
      secret: "v1 cannot",
      file: { name: "f.txt", type: "text/plain", bytes: ALL_BYTES },
    });
    const res = await t.app.inject({ method: "POST", url: `/api/v1/secret/${secretKey}` });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers["x-ots-intended-status"], "409");
    assert.deepEqual(res.json(), {
      message:
        "This secret holds a file, which API v1 cannot carry: open its link in a browser, or use onetime get or API v2",
    });
    const got = await reveal(t.deps, ANYONE, { secretKey });
    assert.deepEqual(got.file?.bytes, ALL_BYTES, "still there after v1 was refused");
  });

  test("a v1 share takes no file and a text secret reads on v1 as before", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/share",
      payload: { secret: "v1 text", file: "not a file" },
    });
    assert.equal(res.statusCode, 200);
    const secretKey = res.json().secret_key as string;
    const read = await t.app.inject({ method: "POST", url: `/api/v1/secret/${secretKey}` });
    assert.equal(read.json().value, "v1 text");
  });
});
