// `npm start` with no configuration: a root key is generated into the data directory and the log
// says so; HOST and SSL shape the links; a second start reuses the key, so secrets survive restarts.
// And `npm start` itself, in a scratch copy of the package: it starts the build and never rebuilds,
// a missing build says what to run, and a production install's prepare step says why it built nothing.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { test } from "node:test";
import { startServer } from "../src/server/start.js";
import { run, scratchPackage } from "./support/built-package.js";
import { freePort } from "./support/ports.js";
import { tempDir } from "./support/temp.js";

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
  using dir = tempDir("onetime-start-");
  const dataDir = dir.path;
  const env = {
    PORT: "0",
    BIND_ADDRESS: "127.0.0.1",
    DATA_DIR: dataDir,
    HOST: "secrets.example.com",
    SSL: "true",
  };
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
});

test("npm start starts the build as it is: no rebuild, answering as soon as it listens", async () => {
  const pkg = scratchPackage();
  try {
    await pkg.build();
    const port = await freePort();
    // The scratch package has no src/ and no tsconfig.json: a build before the start would fail.
    const child = spawn("npm", ["start"], {
      cwd: pkg.dir,
      detached: true,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? tmpdir(),
        PORT: String(port),
        BIND_ADDRESS: "127.0.0.1",
        DATA_DIR: join(pkg.dir, "data"),
      },
    });
    let output = "";
    const listening = new Promise<void>((resolve, reject) => {
      const look = (chunk: Buffer) => {
        output += chunk;
        if (output.includes("onetime listening")) resolve();
      };
      child.stdout.on("data", look);
      child.stderr.on("data", look);
      child.on("exit", (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      await listening;
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(res.status, 200);
      assert.doesNotMatch(output, /\btsc\b|npm run build/);
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGTERM");
      await exited;
    }
  } finally {
    pkg.remove();
  }
});

test("without dist/, npm start says what to run: the build, or an install with the dev dependencies", async () => {
  const checkout = scratchPackage();
  const production = scratchPackage({ nodeModules: false });
  try {
    const unbuilt = await run("npm", ["start"], {}, checkout.dir);
    assert.notEqual(unbuilt.code, 0);
    assert.match(unbuilt.stderr, /^onetime: dist\/ is missing: run `npm run build`$/m);
    assert.doesNotMatch(unbuilt.stderr, /ERR_MODULE_NOT_FOUND|at .*\(/);

    const bare = await run("npm", ["start"], {}, production.dir);
    assert.notEqual(bare.code, 0);
    assert.match(bare.stderr, /onetime: dist\/ is missing, and TypeScript is not installed here/);
    assert.match(bare.stderr, /`npm ci && npm run build`/);
  } finally {
    checkout.remove();
    production.remove();
  }
});

test("prepare after a production install builds nothing, says why, and lets the install succeed", async () => {
  // npm ci --omit=dev runs prepare with neither TypeScript nor esbuild installed.
  const pkg = scratchPackage({ nodeModules: false });
  try {
    const bare = await run(process.execPath, ["scripts/prepare.mjs"], {}, pkg.dir);
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(
      bare.stderr,
      /^prepare: typescript and esbuild not installed \(a production install\?\): dist\/ not built;/,
    );
    assert.equal(existsSync(join(pkg.dir, "dist")), false);
  } finally {
    pkg.remove();
  }
});
