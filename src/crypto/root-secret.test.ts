import assert from "node:assert/strict";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { type TempDir, tempDir } from "../../test/support/temp.js";
import { loadRootSecret, SECRET_FILE } from "./root-secret.js";

let scratch: TempDir;
let dir: string;
beforeEach(() => {
  scratch = tempDir("onetime-root-secret-");
  dir = scratch.path;
});
afterEach(() => scratch.remove());

describe("loadRootSecret", () => {
  test("SECRET from the environment wins and no file is written", () => {
    const secret = "s".repeat(40);
    writeFileSync(join(dir, SECRET_FILE), "f".repeat(64));
    const fromEnv = loadRootSecret(secret, dir);
    assert.equal(fromEnv.source, "env");
    assert.deepEqual(fromEnv.key, Buffer.from(secret));

    const empty = join(dir, "empty");
    loadRootSecret(secret, empty);
    assert.equal(existsSync(empty), false);
  });

  test("without SECRET, generates a 0600 file of 64 hex characters (creating the directory)", () => {
    const dataDir = join(dir, "nested", "data");
    const generated = loadRootSecret(null, dataDir);
    assert.equal(generated.source, "generated");
    assert.equal(generated.path, join(dataDir, SECRET_FILE));
    assert.match(generated.key.toString(), /^[0-9a-f]{64}$/);
    assert.equal(statSync(join(dataDir, SECRET_FILE)).mode & 0o777, 0o600);
  });

  test("a second start reads the same key back", () => {
    const first = loadRootSecret(null, dir);
    const second = loadRootSecret(null, dir);
    assert.equal(second.source, "file");
    assert.deepEqual(second.key, first.key);
  });

  test("create: false refuses to make a key, and touches nothing on disk", () => {
    const dataDir = join(dir, "elsewhere");
    assert.throws(
      () => loadRootSecret(null, dataDir, { create: false }),
      /does not exist and SECRET is unset/,
    );
    assert.equal(existsSync(dataDir), false);
    const made = loadRootSecret(null, dataDir);
    assert.deepEqual(loadRootSecret(null, dataDir, { create: false }).key, made.key);
  });

  test("a file with fewer than 32 characters is an error naming the file", () => {
    writeFileSync(join(dir, SECRET_FILE), "too-short\n");
    assert.throws(
      () => loadRootSecret(null, dir),
      (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.ok(err.message.includes(join(dir, SECRET_FILE)));
        return true;
      },
    );
  });
});
