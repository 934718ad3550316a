// A file's name and bytes never reach the data directory or the logs in the clear: files with a
// distinctive name and content are shared through a real server process at LOG_LEVEL=debug (by API
// v2 for the server to encrypt, by a client that seals them itself, and by the terminal client both
// ways), stored, then revealed; the SQLite database and its WAL, while the server runs and after it
// stops, and everything the process wrote, are searched for the name, the text beside it, runs of
// the file's bytes and of their base64.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { decodeEnvelope, encodeEnvelope } from "../src/crypto/envelope.js";
import * as zk from "../src/crypto/zk.js";
import { onetime } from "./support/cli-client.js";
import { scanDataDir } from "./support/data-dir.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";
import { b64, type Json, record, v2 } from "./support/zk-client.js";

const dir = tempDir("onetime-files-privacy-");
const dataDir = join(dir.path, "data");
let server: Server;
/** What must never be found: names, texts, runs of file bytes and of their base64. */
const needles: Buffer[] = [];

before(async () => {
  server = await startServerProcess(
    { DATA_DIR: dataDir, SECRET: TEST_SECRET, LOG_LEVEL: "debug", RATE_LIMIT_ENABLED: "false" },
    { keepOutput: true },
  );
});
after(async () => {
  await server?.stop();
  dir.remove();
});

/** A file nobody else could have: a distinctive name and 48 KiB of fresh random bytes. */
function distinctive(label: string) {
  const tag = randomBytes(6).toString("hex");
  const name = `Payroll-${label}-${tag} Zürich.xlsx`;
  const text = `note-${label}-${tag}`;
  const bytes = randomBytes(48 * 1024);
  const base64 = bytes.toString("base64");
  needles.push(Buffer.from(name), Buffer.from(`Payroll-${label}-${tag}`), Buffer.from(text));
  for (const at of [0, 20_000, bytes.length - 32]) needles.push(bytes.subarray(at, at + 32));
  for (const at of [0, 30_000, base64.length - 44]) needles.push(Buffer.from(base64.slice(at, at + 44)));
  return { name, text, bytes, base64 };
}

test("a server-encrypted file through API v2: stored and revealed", async () => {
  const f = distinctive("v2");
  const made = await v2(server, "POST", "/secret/conceal", {
    secret: { secret: f.text, file: { name: f.name, type: "application/vnd.ms-excel", content: f.base64 } },
  });
  assert.equal(made.status, 200, made.text.slice(0, 200));
  const key = (record(made).secret as Json).key;
  scanDataDir(dataDir, []);
  const got = record(await v2(server, "POST", `/secret/${key}/reveal`, {}));
  assert.equal((got.file as Json).content, f.base64);
  assert.equal((got.file as Json).name, f.name);
});

test("a file sealed by its sender (zero-knowledge) through API v2: stored and revealed", async () => {
  const f = distinctive("zk");
  const k = zk.newKey();
  const envelope = encodeEnvelope({ text: f.text, file: { name: f.name, type: "", bytes: f.bytes } });
  const { blob, proof } = await zk.sealBytes(envelope, k, { file: true });
  const made = await v2(server, "POST", "/secret/conceal", {
    secret: { ciphertext: b64(blob), proof: b64(proof), has_file: true },
  });
  assert.equal(made.status, 200, made.text.slice(0, 200));
  const key = (record(made).secret as Json).key;
  const got = record(await v2(server, "POST", `/secret/${key}/reveal`, { proof: b64(proof) }));
  const opened = decodeEnvelope(
    await zk.openBytes(zk.fromBase64Url(got.ciphertext as string), k, { file: true }),
  );
  assert.ok(Buffer.from(opened.file.bytes).equals(f.bytes));
});

test("files shared and received with the terminal client, sealed there and by the server", async () => {
  for (const flags of [[], ["--server-side"]]) {
    const f = distinctive(flags.length === 0 ? "cli" : "clis");
    const path = join(dir.path, f.name);
    writeFileSync(path, f.bytes);
    const env = { ONETIME_URL: server.base };
    const shared = await onetime(["share", ...flags, "--file", path, f.text], { env });
    assert.equal(shared.code, 0, shared.stderr);
    const out = join(dir.path, `${f.name}.received`);
    const got = await onetime(["get", shared.stdout.trim(), "-o", out], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, f.text);
  }
});

test("neither the data directory nor the debug log holds a name, a text or a run of file bytes", async () => {
  assert.equal(needles.length, 4 * 9);
  const scan = () => {
    const names = scanDataDir(dataDir, []);
    for (const name of names) {
      const bytes = readFileSync(join(dataDir, name));
      for (const needle of needles) assert.equal(bytes.indexOf(needle), -1, `${name} holds a needle`);
    }
    return names;
  };
  assert.ok(
    scan().some((name) => name.endsWith("-wal")),
    "the WAL is searched while the server runs",
  );
  await server.stop();
  scan();
  const log = Buffer.from(server.output());
  assert.match(
    server.output(),
    /"path":"\/api\/v2\/secret\/[a-z0-9]{4}…\/reveal"/,
    "the log has the requests",
  );
  for (const needle of needles) assert.equal(log.indexOf(needle), -1, "the log holds a needle");
});
