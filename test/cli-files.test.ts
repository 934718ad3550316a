// Files from the terminal against a real server process (FILE_MAX_BYTES=4096): `onetime share --file`
// sealed here (zero-knowledge, the default) or by the server (--server-side), `onetime get` writing
// the file byte for byte to -o PATH or into the current directory under its own name; an existing
// file is never replaced without --force, and that refusal comes before the reveal, so nothing is
// consumed; a file over the server's cap, or to an API v1 server, is refused before it is sent.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ClientRun, onetime } from "./support/cli-client.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const LINK = /^(http:\/\/127\.0\.0\.1:\d+\/secret\/[0-9a-z]+(?:#[\w-]{43})?)\n$/;
const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const MAX = 4096;

const dir = tempDir("onetime-client-files-");
let server: Server;
let env: Record<string, string>;
let n = 0;

before(async () => {
  server = await startServerProcess({
    DATA_DIR: join(dir.path, "data"),
    SECRET: TEST_SECRET,
    RATE_LIMIT_ENABLED: "false",
    FILE_MAX_BYTES: String(MAX),
  });
  env = { ONETIME_URL: server.base };
});
after(async () => {
  await server?.stop();
  dir.remove();
});

/** A fresh directory to work in. */
function workDir(): string {
  const path = join(dir.path, `work-${++n}`);
  mkdirSync(path);
  return path;
}

/** A file holding `bytes` under `name` in a fresh directory. */
function fileOf(name: string, bytes: Buffer): string {
  const path = join(workDir(), name);
  writeFileSync(path, bytes);
  return path;
}

async function shared(args: string[], input?: string): Promise<string> {
  const res = await onetime(["share", ...args], { env, ...(input === undefined ? {} : { input }) });
  assert.equal(res.code, 0, res.stderr);
  const link = LINK.exec(res.stdout)?.[1];
  assert.ok(link !== undefined, res.stdout);
  return link;
}

const get = (args: string[], cwd?: string): Promise<ClientRun> =>
  onetime(["get", ...args], { env, ...(cwd === undefined ? {} : { cwd }) });

for (const mode of [
  { label: "sealed in the terminal (zero-knowledge)", flags: [] as string[], zk: true },
  { label: "sealed by the server (--server-side)", flags: ["--server-side"], zk: false },
]) {
  describe(`files ${mode.label}`, () => {
    test("a text and a file of every byte value: -o PATH gets the file byte for byte, stdout the text", async () => {
      const link = await shared([...mode.flags, "--file", fileOf("all.bin", ALL_BYTES), "the note"]);
      assert.equal(link.includes("#"), mode.zk);
      const out = join(workDir(), "received.bin");
      const res = await get([link, "-o", out]);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, "the note");
      assert.match(
        res.stderr,
        /^all\.bin \(application\/octet-stream\): 256 bytes written to .*received\.bin\n$/,
      );
      assert.ok(readFileSync(out).equals(ALL_BYTES));
      assert.equal(statSync(out).mode & 0o777, 0o600, "written for its owner only");
      assert.equal((await get([link])).code, 1, "read once");
    });

    test("an existing -o PATH is refused (exit 2) before the reveal: nothing consumed; --force replaces it", async () => {
      const link = await shared([
        ...mode.flags,
        "--file",
        fileOf("key.pem", Buffer.from("-----BEGIN KEY-----\n")),
      ]);
      const out = join(workDir(), "taken.pem");
      writeFileSync(out, "keep me");
      const refused = await get([link, "-o", out]);
      assert.equal(refused.code, 2);
      assert.equal(
        refused.stderr,
        `onetime: ${out} exists: add --force to replace it (nothing was consumed)\n`,
      );
      assert.equal(readFileSync(out, "utf8"), "keep me");
      const missingDir = await get([link, "-o", join(out, "..", "no-such-dir", "x")]);
      assert.equal(missingDir.code, 2, missingDir.stderr);
      const forced = await get([link, "-o", out, "--force"]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal(forced.stdout, "", "a file sent alone: no text");
      assert.equal(readFileSync(out, "utf8"), "-----BEGIN KEY-----\n");
      assert.deepEqual(readdirSync(join(out, "..")), ["taken.pem"], "no temporary file left");
    });

    test("without -o the file goes into the current directory under its own name, never over another", async () => {
      const cwd = workDir();
      writeFileSync(join(cwd, "report.pdf"), "older");
      const link = await shared([
        ...mode.flags,
        "--file",
        fileOf("report.pdf", Buffer.from("%PDF-1.7\n")),
        "see attached",
      ]);
      const res = await get([link], cwd);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, "see attached");
      assert.equal(readFileSync(join(cwd, "report.pdf"), "utf8"), "older");
      assert.equal(readFileSync(join(cwd, "report (1).pdf"), "utf8"), "%PDF-1.7\n");
    });

    test("an empty file, with a passphrase", async () => {
      const pass = join(workDir(), "pass");
      writeFileSync(pass, "file words\n");
      const link = await shared([
        ...mode.flags,
        "--passphrase-file",
        pass,
        "--file",
        fileOf("empty", Buffer.alloc(0)),
      ]);
      const out = join(workDir(), "empty.out");
      const res = await get([link, "--passphrase-file", pass, "-o", out]);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(readFileSync(out).length, 0);
    });
  });
}

describe("files: what is refused", () => {
  test("a file over the server's cap, or to API v1, is refused before anything is sent", async () => {
    const big = fileOf("big.bin", Buffer.alloc(MAX + 1));
    const over = await onetime(["share", "--file", big], { env });
    assert.equal(over.code, 2);
    assert.equal(
      over.stderr,
      `onetime: ${big} is ${MAX + 1} bytes: ${server.base} takes files up to ${MAX} bytes\n`,
    );
    const v1 = await onetime(["share", "--api", "v1", "--file", fileOf("a", Buffer.of(1))], { env });
    assert.equal(v1.code, 2);
    assert.match(v1.stderr, /files need API v2/);
    const missing = await onetime(["share", "--file", join(dir.path, "no-such-file")], { env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*no-such-file \(ENOENT\)/);
    const both = await onetime(["share", "--generate", "--file", big], { env });
    assert.equal(both.code, 2);
    const force = await onetime(["get", "http://x/secret/abc", "--force"], { env });
    assert.equal(force.code, 2);
    assert.match(force.stderr, /--force goes with -o PATH/);
  });

  test("API v1 cannot carry a file secret: refused, nothing consumed; v2 then reads it", async () => {
    const link = await shared(["--server-side", "--file", fileOf("v1.bin", ALL_BYTES)]);
    const v1 = await get(["--api", "v1", link]);
    assert.equal(v1.code, 2, v1.stderr);
    assert.match(v1.stderr, /holds a file, which API v1 cannot carry/);
    const out = join(workDir(), "v1.bin");
    assert.equal((await get([link, "-o", out])).code, 0);
    assert.ok(readFileSync(out).equals(ALL_BYTES));
  });

  test("-o with a text secret writes the text there, and nothing to stdout", async () => {
    const link = await shared(["line one\nline two\n"]);
    const out = join(workDir(), "text.txt");
    const res = await get([link, "-o", out]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, "");
    assert.equal(readFileSync(out, "utf8"), "line one\nline two\n");
    assert.ok(!existsSync(`${out}.part`));
  });
});
