// The data directory is its owner's alone: a real server process creates it 0700, and the database,
// its -wal and -shm files and the root key 0600, whatever the umask. Files made wider before (an
// older version created the database 0644 in a 0755 directory) are named in one warning at start-up.
import assert from "node:assert/strict";
import { chmodSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import { SECRET_FILE } from "../src/crypto/root-secret.js";
import { createRuntime } from "../src/server/runtime.js";
import { DATABASE_FILE } from "../src/store/sqlite.js";
import { post, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const DATA_FILES = [SECRET_FILE, DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`];

/** Opens the runtime (store, root key) on `dataDir` without SECRET and returns its log lines. */
async function startUpLogs(dataDir: string): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const runtime = await createRuntime({ env: { DATA_DIR: dataDir, LOG_LEVEL: "info" }, logStream });
  await runtime.close();
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

test("a server process creates its data directory 0700 and every file in it 0600", async () => {
  using parent = tempDir("onetime-modes-");
  const dataDir = join(parent.path, "nested", "data");
  const server = await startServerProcess({ DATA_DIR: dataDir });
  try {
    const shared = await post(server, "/share", { secret: "mode check" });
    assert.equal(shared.status, 200);
    // While the server runs, after a write: the WAL and the shared-memory file exist.
    assert.equal(mode(dataDir), "700");
    for (const name of DATA_FILES) assert.equal(mode(join(dataDir, name)), "600", name);
  } finally {
    await server.stop();
  }
});

test("start-up warns once, naming the entries other users may read, and nothing secret", async () => {
  using dir = tempDir("onetime-modes-");
  assert.deepEqual(
    (await startUpLogs(dir.path)).filter((l) => l.level === 40),
    [],
    "no warning for files it made itself",
  );
  chmodSync(dir.path, 0o755);
  chmodSync(join(dir.path, DATABASE_FILE), 0o644);
  chmodSync(join(dir.path, SECRET_FILE), 0o640);
  const lines = await startUpLogs(dir.path);
  const warnings = lines.filter((l) => l.level === 40);
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  const [warning] = warnings;
  // SQLite made the new -wal and -shm like the (widened) database file.
  assert.deepEqual(warning?.loose, [
    ". (0755)",
    `${SECRET_FILE} (0640)`,
    `${DATABASE_FILE} (0644)`,
    `${DATABASE_FILE}-wal (0644)`,
    `${DATABASE_FILE}-shm (0644)`,
  ]);
  assert.match(String(warning?.msg), /chmod 700/);
  const key = readFileSync(join(dir.path, SECRET_FILE), "utf8").trim();
  assert.ok(!lines.some((l) => JSON.stringify(l).includes(key)), "the root key is never logged");
  // Warned about, not changed: the operator decides.
  assert.equal(mode(join(dir.path, DATABASE_FILE)), "644");
});
