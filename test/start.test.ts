// `npm start` with no configuration: a root key is generated into the data directory and the log
// says so; HOST and SSL shape the links; a second start reuses the key, so secrets survive restarts.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import { startServer } from "../src/server.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

test("first start generates secret.key and logs it; HOST and SSL shape links; a restart keeps secrets", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "onetime-start-"));
  const env = {
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    DATA_DIR: dataDir,
    HOST: "secrets.example.com",
    SSL: "true",
  };
  try {
    const first = capture();
    const a = await startServer({ env, logStream: first.stream });
    const keyFile = join(dataDir, "secret.key");
    assert.ok(existsSync(keyFile));
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const warning = first.lines.map((l) => JSON.parse(l)).find((l) => /generated a new root key/.test(l.msg));
    assert.ok(warning, "the log says a root key was generated");
    assert.equal(warning.path, keyFile);

    const created = await (
      await fetch(`${a.url}/api/v1/share`, { method: "POST", body: new URLSearchParams({ secret: "kept" }) })
    ).json();
    await a.stop();

    const second = capture();
    const b = await startServer({ env, logStream: second.stream });
    try {
      assert.ok(!second.lines.some((l) => /generated a new root key/.test(l)));
      const revealed = await (
        await fetch(`${b.url}/api/v1/secret/${created.secret_key}`, { method: "POST" })
      ).json();
      assert.deepEqual(revealed, {
        value: "kept",
        secret_key: created.secret_key,
        share_domain: "https://secrets.example.com",
      });
    } finally {
      await b.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
