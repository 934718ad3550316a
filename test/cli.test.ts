// The `onetime` command, run as a real child process on a real data directory: accounts and their
// API tokens, purge, bad input, side by side with a running server, and the packaged bin after a build.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../src/actions/deps.js";
import { buildApp } from "../src/app.js";
import { createRuntime } from "../src/runtime.js";
import { basic, TEST_SECRET } from "./helpers.js";
import { freePort } from "./ports.js";

const ROOT = join(import.meta.dirname, "..");
// 256 random bits written in base 36 take 50 characters (36^50 ≈ 2^258.5).
const TOKEN = /^[0-9a-z]{50}$/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion with only the given environment (plus PATH). */
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? "", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return run(process.execPath, ["--import", "tsx", "src/cli/bin.ts", ...args], env);
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

/** An in-process app on an existing data directory, as a second process would open it. */
async function appOn(dataDir: string, env: Record<string, string> = {}) {
  const runtime = await createRuntime({
    env: { DATA_DIR: dataDir, SECRET: TEST_SECRET, LOG_LEVEL: "silent", ...env },
  });
  const app = await buildApp(runtime.deps);
  return {
    app,
    deps: runtime.deps as Deps,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

function authcheck(app: FastifyInstance, email: string, token: string) {
  return app.inject({
    method: "GET",
    url: "/api/v1/authcheck",
    headers: { authorization: basic(email, token) },
  });
}

/** Every byte stored under the data directory (database, WAL, anything else). */
function storedBytes(dataDir: string): Buffer {
  return Buffer.concat(
    readdirSync(dataDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => readFileSync(join(entry.parentPath, entry.name))),
  );
}

describe("account commands", () => {
  let dataDir: string;
  let env: Record<string, string>;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), "onetime-cli-"));
    env = { DATA_DIR: dataDir, SECRET: TEST_SECRET };
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  test("create, use, replace and delete an API token", async () => {
    const created = await cli(["account", "create", "x@example.com"], env);
    assert.equal(created.code, 0, created.stderr);
    const token = lastLine(created.stdout);
    assert.match(token, TOKEN);
    // Only an HMAC of the token is stored: the token itself is nowhere in the data directory.
    assert.ok(!storedBytes(dataDir).includes(token));
    assert.ok(!storedBytes(dataDir).includes(Buffer.from(token, "utf16le")));

    const s = await appOn(dataDir);
    try {
      const auth = { authorization: basic("x@example.com", token) };
      assert.equal((await authcheck(s.app, "x@example.com", token)).statusCode, 200);
      const share = await s.app.inject({
        method: "POST",
        url: "/api/v1/share?secret=s&ttl=99999999",
        headers: auth,
      });
      assert.equal(share.json().custid, "x@example.com");
      assert.equal(share.json().ttl, 2592000);
      const anonymous = await s.app.inject({ method: "POST", url: "/api/v1/share?secret=s&ttl=99999999" });
      assert.equal(anonymous.json().custid, "anon");
      assert.equal(anonymous.json().ttl, 604800);
      const recent = await s.app.inject({ method: "GET", url: "/api/v1/private/recent", headers: auth });
      assert.deepEqual(
        recent.json().map((r: { metadata_key: string }) => r.metadata_key),
        [share.json().metadata_key],
      );

      const replaced = await cli(["account", "token", "x@example.com"], env);
      assert.equal(replaced.code, 0, replaced.stderr);
      const newToken = lastLine(replaced.stdout);
      assert.match(newToken, TOKEN);
      assert.notEqual(newToken, token);
      // The old token fails at once, in an app that was already running.
      const old = await authcheck(s.app, "x@example.com", token);
      assert.equal(old.statusCode, 404);
      assert.equal(old.headers["x-ots-intended-status"], "401");
      assert.deepEqual(old.json(), { message: "Not authorized" });
      assert.equal((await authcheck(s.app, "x@example.com", newToken)).statusCode, 200);
      assert.ok(!storedBytes(dataDir).includes(newToken));

      const deleted = await cli(["account", "delete", "x@example.com"], env);
      assert.equal(deleted.code, 0, deleted.stderr);
      assert.deepEqual((await authcheck(s.app, "x@example.com", newToken)).json(), {
        message: "Not authorized",
      });
      // Its receipts went with it.
      const receipt = await s.app.inject({
        method: "GET",
        url: `/api/v1/private/${share.json().metadata_key}`,
      });
      assert.equal(receipt.json().message, "Unknown secret");
    } finally {
      await s.close();
    }
  });

  test("emails are case-insensitive; custid is the address in lower case", async () => {
    const created = await cli(["account", "create", "Mixed.Case@Example.COM"], env);
    assert.equal(created.code, 0, created.stderr);
    const token = lastLine(created.stdout);
    const s = await appOn(dataDir);
    try {
      const res = await s.app.inject({
        method: "POST",
        url: "/api/v1/share?secret=s",
        headers: { authorization: basic("MIXED.case@example.com", token) },
      });
      assert.equal(res.json().custid, "mixed.case@example.com");
    } finally {
      await s.close();
    }
    const duplicate = await cli(["account", "create", "mixed.case@example.com"], env);
    assert.notEqual(duplicate.code, 0);
  });

  test("a duplicate account is refused with a clear message and no token", async () => {
    assert.equal((await cli(["account", "create", "dup@example.com"], env)).code, 0);
    const again = await cli(["account", "create", "dup@example.com"], env);
    assert.notEqual(again.code, 0);
    assert.equal(again.stdout, "");
    assert.equal(again.stderr, "onetime: an account already exists for dup@example.com\n");
  });

  test("bad input exits non-zero with one line and no stack trace", async () => {
    for (const [args, message] of [
      [["account", "create", "not-an-email"], "onetime: not an email address: not-an-email\n"],
      [["account", "create", "a b@example.com"], "onetime: not an email address: a b@example.com\n"],
      [["account", "token", "nobody@example.com"], "onetime: no account for nobody@example.com\n"],
      [["account", "delete", "nobody@example.com"], "onetime: no account for nobody@example.com\n"],
    ] as const) {
      const res = await cli([...args], env);
      assert.equal(res.code, 1, args.join(" "));
      assert.equal(res.stdout, "");
      assert.equal(res.stderr, message);
    }
    const usage = await cli(["account", "create"], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /^usage: onetime <command>/);
    const unknown = await cli(["frobnicate"], env);
    assert.equal(unknown.code, 2);
  });

  test("bad configuration is reported like the server does", async () => {
    const res = await cli(["account", "create", "c@example.com"], {
      ...env,
      SECRET: "short",
      LOG_LEVEL: "loud",
    });
    assert.equal(res.code, 1);
    assert.equal(res.stdout, "");
    const lines = res.stderr.trimEnd().split("\n");
    assert.equal(lines.length, 2, res.stderr);
    assert.ok(
      lines.every((line) => line.startsWith("onetime: configuration: ")),
      res.stderr,
    );
  });

  test("purge deletes expired rows and prints how many", async () => {
    const s = await appOn(dataDir, { RATE_LIMIT_ENABLED: "false" });
    try {
      // Made a month ago with a 60 s TTL: secrets and receipts have both expired.
      const monthAgo = Date.now() - 30 * 86400_000;
      s.deps.now = () => monthAgo;
      for (let i = 0; i < 3; i++) {
        assert.equal(
          (await s.app.inject({ method: "POST", url: "/api/v1/share?secret=s&ttl=60" })).statusCode,
          200,
        );
      }
    } finally {
      await s.close();
    }
    const purged = await cli(["purge"], env);
    assert.equal(purged.code, 0, purged.stderr);
    assert.equal(purged.stdout, "purged 6 expired rows\n");
    assert.equal((await cli(["purge"], env)).stdout, "purged 0 expired rows\n");
  });
});

describe("next to a running server on the same data directory", () => {
  let dataDir: string;
  let server: ChildProcess;
  let base: string;
  const env = () => ({ DATA_DIR: dataDir, SECRET: TEST_SECRET });

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "onetime-cli-server-"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    server = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env(), PORT: String(port), BIND_ADDRESS: "127.0.0.1" },
      stdio: "ignore",
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${base}/status`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline || server.exitCode !== null) assert.fail("the server did not start");
      await sleep(100);
    }
  });

  after(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const authcheckOver = (email: string, token: string) =>
    fetch(`${base}/authcheck`, { headers: { authorization: basic(email, token) } });

  test("accounts made, rotated and deleted by the CLI take effect in the server at once", async () => {
    const created = await cli(["account", "create", "live@example.com"], env());
    assert.equal(created.code, 0, created.stderr);
    const token = lastLine(created.stdout);
    assert.equal((await authcheckOver("live@example.com", token)).status, 200);

    const share = await fetch(`${base}/share?secret=s&ttl=2592000`, {
      method: "POST",
      headers: { authorization: basic("live@example.com", token) },
    });
    const body = await share.json();
    assert.equal(body.custid, "live@example.com");
    assert.equal(body.ttl, 2592000);

    const rotated = await cli(["account", "token", "live@example.com"], env());
    assert.equal(rotated.code, 0, rotated.stderr);
    const newToken = lastLine(rotated.stdout);
    const old = await authcheckOver("live@example.com", token);
    assert.equal(old.status, 404);
    assert.deepEqual(await old.json(), { message: "Not authorized" });
    assert.equal((await authcheckOver("live@example.com", newToken)).status, 200);

    const purged = await cli(["purge"], env());
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /^purged \d+ expired rows\n$/);

    assert.equal((await cli(["account", "delete", "live@example.com"], env())).code, 0);
    assert.equal((await authcheckOver("live@example.com", newToken)).status, 404);
    assert.equal(server.exitCode, null, "the server is still running");
  });
});

test("the packaged bin runs the built CLI", async () => {
  // Build into a scratch package (bin, package.json, dist, node_modules linked) so that the
  // repository's own dist/ is left alone. Types are checked by `npm run typecheck`; --noCheck only
  // skips doing it twice.
  const pkg = mkdtempSync(join(tmpdir(), "onetime-bin-"));
  try {
    const tsc = await run(
      process.execPath,
      [
        join(ROOT, "node_modules/typescript/bin/tsc"),
        "-p",
        "tsconfig.json",
        "--noCheck",
        "--outDir",
        join(pkg, "dist"),
      ],
      {},
    );
    assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr);
    mkdirSync(join(pkg, "bin"));
    cpSync(join(ROOT, "bin/onetime.js"), join(pkg, "bin/onetime.js"));
    cpSync(join(ROOT, "package.json"), join(pkg, "package.json"));
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"), "dir");
    symlinkSync(join(ROOT, "locales"), join(pkg, "locales"), "dir");
    const bin = join(pkg, "bin/onetime.js");

    for (const args of [[], ["--help"], ["help"]]) {
      const res = await run(process.execPath, [bin, ...args], {});
      assert.equal(res.code, 0, `onetime ${args.join(" ")}: ${res.stderr}`);
      assert.match(res.stdout + res.stderr, /usage: onetime <command>/);
      assert.match(res.stdout + res.stderr, /account create EMAIL/);
    }
    assert.equal((await run(process.execPath, [bin, "frobnicate"], {})).code, 2);

    const dataDir = join(pkg, "data");
    const created = await run(process.execPath, [bin, "account", "create", "bin@example.com"], {
      DATA_DIR: dataDir,
      SECRET: TEST_SECRET,
    });
    assert.equal(created.code, 0, created.stderr);
    const s = await appOn(dataDir);
    try {
      assert.equal((await authcheck(s.app, "bin@example.com", lastLine(created.stdout))).statusCode, 200);
    } finally {
      await s.close();
    }
  } finally {
    rmSync(pkg, { recursive: true, force: true });
  }
});
