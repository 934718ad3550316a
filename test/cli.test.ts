// The `onetime` command, run as a real child process on a real data directory: accounts and their
// API tokens, purge, bad input, side by side with a running server, the store and key it names and
// refuses to create, its command line, and the packaged bin after a build. Also the package itself:
// its name, its declared dependencies and engines, and `npm run bench`'s command line.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import type { FastifyInstance } from "fastify";
import type { Deps } from "../src/actions/deps.js";
import { runCli } from "../src/cli/main.js";
import { buildApp } from "../src/server/app.js";
import { createRuntime } from "../src/server/runtime.js";
import { ROOT, run, scratchPackage } from "./support/built-package.js";
import { compiled } from "./support/compiled.js";
import { basic, TEST_SECRET } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { startRedis } from "./support/redis-server.js";
import { tempDir } from "./support/temp.js";

// 256 random bits written in base 36 take 50 characters (36^50 ≈ 2^258.5).
const TOKEN = /^[0-9a-z]{50}$/;
// Resolved here, so that the benchmark's command line can also run with another working directory.
const TSX = import.meta.resolve("tsx");
const PACKAGE = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));

function cli(args: string[], env: Record<string, string>, cwd = ROOT) {
  return run(process.execPath, [compiled("src/cli/bin.ts"), ...args], env, cwd);
}

/** The diagnostic the command ended with, after the lines naming its store and key. */
function lastError(stderr: string): string {
  return `${lastLine(stderr)}\n`;
}

function lastLine(text: string): string {
  return text.trimEnd().split("\n").at(-1) ?? "";
}

/** An in-process app on an existing data directory, as a second process would open it. */
async function appOn(dataDir: string, env: Record<string, string | undefined> = {}) {
  const runtime = await createRuntime({
    env: { DATA_DIR: dataDir, SECRET: TEST_SECRET, LOG_LEVEL: "silent", ...env },
    createRootKey: false,
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
  const dir = tempDir("onetime-cli-");
  const dataDir = dir.path;
  const env: Record<string, string> = { DATA_DIR: dataDir, SECRET: TEST_SECRET };
  before(async () => {
    const init = await cli(["purge", "--init"], env);
    assert.equal(init.code, 0, init.stderr);
  });
  after(() => dir.remove());

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
    assert.equal(lastError(again.stderr), "onetime: an account already exists for dup@example.com\n");
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
      assert.equal(lastError(res.stderr), message);
      assert.doesNotMatch(res.stderr, /\n\s+at /);
    }
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

  test("a bad BRAND_FILE is reported as configuration too, not as a store that cannot be opened", async () => {
    const file = join(dataDir, "brand.json");
    writeFileSync(file, JSON.stringify({ accent: "#ff8800" }));
    try {
      const res = await cli(["account", "create", "b@example.com"], { ...env, BRAND_FILE: file });
      assert.equal(res.code, 1);
      assert.equal(res.stdout, "");
      assert.match(
        lastLine(res.stderr),
        /^onetime: configuration: BRAND_FILE accent: #ff8800 reaches 2\.22:1 /,
      );
    } finally {
      unlinkSync(file);
    }
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
  const dir = tempDir("onetime-cli-server-");
  const dataDir = dir.path;
  let server: ChildProcess;
  let base: string;
  const env = () => ({ DATA_DIR: dataDir, SECRET: TEST_SECRET });

  before(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}/api/v1`;
    server = spawn(process.execPath, [compiled("src/main.ts")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", ...env(), PORT: String(port), BIND_ADDRESS: "127.0.0.1" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    // The start-up line is written once the socket listens.
    await new Promise<void>((resolve, reject) => {
      let out = "";
      server.stdout?.on("data", (chunk) => {
        out += chunk;
        if (out.includes("onetime listening")) resolve();
      });
      server.once("exit", (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
    });
  });

  after(async () => {
    if (server.exitCode === null) {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    dir.remove();
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

test("the packaged bin runs the built CLI, and shows a missing module inside dist/ as it is", async () => {
  const pkg = scratchPackage();
  try {
    await pkg.build();
    const bin = join(pkg.dir, "bin/onetime.js");
    for (const args of [["--help"], ["help"]]) {
      const res = await run(process.execPath, [bin, ...args], {});
      assert.equal(res.code, 0, `onetime ${args.join(" ")}: ${res.stderr}`);
      assert.match(res.stdout, /^usage: onetime <command>/);
      assert.match(res.stdout, /account create EMAIL/);
    }
    const bare = await run(process.execPath, [bin], {});
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, "");
    assert.match(bare.stderr, /^usage: onetime <command>/);
    const unknown = await run(process.execPath, [bin, "frobnicate"], {});
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^onetime: unknown command: frobnicate\n/);
    // The client commands run from the build too, with nothing of the server behind them.
    const closed = `http://127.0.0.1:${await freePort()}`;
    const client = await run(process.execPath, [bin, "status", "--server", closed], {});
    assert.equal(client.code, 3, client.stderr);
    assert.equal(client.stderr, `onetime: cannot reach ${closed}: ECONNREFUSED\n`);
    const version = await run(process.execPath, [bin, "--version"], {});
    assert.equal(version.code, 0);
    assert.equal(version.stdout, `onetime-server ${PACKAGE.version}\n`);

    const dataDir = join(pkg.dir, "data");
    const env = { DATA_DIR: dataDir, SECRET: TEST_SECRET };
    const created = await run(process.execPath, [bin, "account", "create", "bin@example.com", "--init"], env);
    assert.equal(created.code, 0, created.stderr);
    const s = await appOn(dataDir);
    try {
      assert.equal((await authcheck(s.app, "bin@example.com", lastLine(created.stdout))).statusCode, 200);
    } finally {
      await s.close();
    }

    // dist/ is there but incomplete: the launcher must not blame a missing build.
    unlinkSync(join(pkg.dir, "dist/actions/accounts.js"));
    const broken = await run(process.execPath, [bin, "purge"], env);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /ERR_MODULE_NOT_FOUND/);
    assert.match(broken.stderr, /dist\/actions\/accounts\.js/);
    assert.doesNotMatch(broken.stderr, /dist\/ is missing/);
  } finally {
    pkg.remove();
  }
});

describe("the store and root key the command uses", () => {
  const scratch = tempDir("onetime-cli-elsewhere-");
  const elsewhere = scratch.path;
  after(() => scratch.remove());

  test("run where no server runs, it names the store, creates nothing and prints no token", async () => {
    const data = join(elsewhere, "data");
    const res = await cli(["account", "create", "lost@example.com"], {}, elsewhere);
    assert.equal(res.code, 1);
    assert.equal(res.stdout, "");
    const lines = res.stderr.trimEnd().split("\n");
    assert.equal(lines[0], `onetime: store: SQLite database ${join(data, "onetime.db")}`);
    assert.equal(
      lines[1],
      `onetime: no store here: the database ${join(data, "onetime.db")} and the root key ${join(data, "secret.key")} do not exist`,
    );
    assert.match(lines[2] ?? "", /--init creates a new store here$/);
    assert.equal(existsSync(data), false);

    // SECRET alone is not enough: the database would still be a new, empty one.
    using empty = tempDir("onetime-cli-empty-");
    const withSecret = await cli(["purge"], { DATA_DIR: empty.path, SECRET: TEST_SECRET });
    assert.equal(withSecret.code, 1);
    assert.match(withSecret.stderr, /no store here: the database .* does not exist/);
    assert.deepEqual(readdirSync(empty.path), []);
  });

  test("--init creates the store and key and says so; later runs name the key file; the server accepts the token", async () => {
    const data = join(elsewhere, "data");
    const created = await cli(["account", "create", "init@example.com", "--init"], {}, elsewhere);
    assert.equal(created.code, 0, created.stderr);
    assert.match(
      created.stderr,
      /^onetime: --init: creating the database .* and the root key .*secret\.key$/m,
    );
    assert.match(
      created.stderr,
      new RegExp(
        `^onetime: root key: ${join(data, "secret.key")} \\(new: back it up with the data directory\\)$`,
        "m",
      ),
    );
    const rotated = await cli(["account", "token", "init@example.com"], {}, elsewhere);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.deepEqual(rotated.stderr.trimEnd().split("\n"), [
      `onetime: store: SQLite database ${join(data, "onetime.db")}`,
      `onetime: root key: ${join(data, "secret.key")}`,
    ]);
    // A server with no SECRET on that directory reads the same key file, so the token works there.
    const s = await appOn(data, { SECRET: undefined });
    try {
      assert.equal((await authcheck(s.app, "init@example.com", lastLine(rotated.stdout))).statusCode, 200);
    } finally {
      await s.close();
    }
  });

  test("Redis: named without its password; a refused password is one clear line; the right one works", async () => {
    const redis = await startRedis(["--requirepass", "hunter2-redis-pw"]);
    const url = (password: string) => `redis://:${password}@127.0.0.1:${redis.port}/0`;
    try {
      const refused = await cli(["account", "create", "r@example.com"], {
        REDIS_URL: url("not-the-password"),
        SECRET: TEST_SECRET,
      });
      assert.equal(refused.code, 1);
      assert.equal(refused.stdout, "");
      assert.match(
        refused.stderr,
        new RegExp(
          `^onetime: store: Redis redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/0 \\(prefix onetime\\)$`,
          "m",
        ),
      );
      assert.match(lastLine(refused.stderr), /^onetime: .*WRONGPASS/);
      assert.ok(!refused.stderr.includes("not-the-password"));
      assert.doesNotMatch(refused.stderr, /\n\s+at /);

      const env = { REDIS_URL: url("hunter2-redis-pw"), SECRET: TEST_SECRET };
      const created = await cli(["account", "create", "r@example.com"], env);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stderr, /^onetime: root key: SECRET \(from the environment\)$/m);
      assert.ok(!created.stderr.includes("hunter2-redis-pw"));
      const s = await appOn(join(elsewhere, "unused"), env);
      try {
        assert.equal((await authcheck(s.app, "r@example.com", lastLine(created.stdout))).statusCode, 200);
      } finally {
        await s.close();
      }
    } finally {
      redis.kill();
    }
  });
});

describe("the command line", () => {
  /** runCli in process, with its output captured. */
  async function parse(argv: string[]) {
    const capture = () => {
      const sink = { text: "", stream: null as unknown as Writable };
      sink.stream = new Writable({
        write(chunk, _enc, done) {
          sink.text += chunk;
          done();
        },
      });
      return sink;
    };
    const out = capture();
    const err = capture();
    const code = await runCli(argv, { out: out.stream, err: err.stream });
    return { code, stdout: out.text, stderr: err.text };
  }

  test("no command: the usage on stderr, exit 2; help, --help and -h: on stdout, exit 0", async () => {
    const bare = await parse([]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stdout, "");
    assert.match(bare.stderr, /^usage: onetime <command>/);
    for (const args of [["help"], ["--help"], ["-h"], ["account", "--help"]]) {
      const res = await parse(args);
      assert.equal(res.code, 0, args.join(" "));
      assert.match(res.stdout, /^usage: onetime <command>/);
      assert.equal(res.stderr, "");
    }
  });

  test("--version prints the package's name and version", async () => {
    const res = await parse(["--version"]);
    assert.equal(res.code, 0);
    assert.equal(res.stdout, `${PACKAGE.name} ${PACKAGE.version}\n`);
  });

  test("a mistake is named on the first line, then the usage; exit 2", async () => {
    for (const [args, problem] of [
      [["frobnicate"], "unknown command: frobnicate"],
      [["--frobnicate"], "unknown option: --frobnicate"],
      [["account"], "account needs create, token or delete"],
      [["account", "frob", "a@example.com"], "unknown account command: frob"],
      [["account", "create"], "account create needs an EMAIL"],
      [["account", "create", "a@example.com", "b@example.com"], "unexpected argument: b@example.com"],
      [["purge", "now"], "unexpected argument: now"],
      [["serve", "--workers"], "option --workers needs a value"],
      [["purge", "--workers", "2"], "--workers goes with serve only"],
      [["serve", "--init"], "--init goes with the account and purge commands only"],
      [["purge", "--init=yes"], "option --init takes no value"],
    ] as const) {
      const res = await parse([...args]);
      assert.equal(res.code, 2, args.join(" "));
      assert.equal(res.stdout, "");
      assert.ok(res.stderr.startsWith(`onetime: ${problem}\n\nusage: onetime <command>`), res.stderr);
    }
  });
});

test("npm run bench: --help prints the usage; a bad flag is one line and the usage, exit 2, no stack", async () => {
  const bench = (args: string[]) => run(process.execPath, ["--import", TSX, "bench/run.ts", ...args], {});
  const help = await bench(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /^usage: npm run bench -- \[options\]/);
  for (const [args, problem] of [
    [["--frobnicate"], "bench: Unknown option '--frobnicate'"],
    [
      ["--scenarios", "share,dance"],
      "bench: unknown scenario: dance (share, reveal, cycle, metadata, status, v2-share, v2-reveal, v2-file-share, zk-share, zk-reveal)",
    ],
  ] as const) {
    const res = await bench([...args]);
    assert.equal(res.code, 2, args.join(" "));
    assert.ok(res.stderr.startsWith(`${problem}\n\nusage: npm run bench`), res.stderr);
    assert.doesNotMatch(res.stderr, /\n\s+at /);
  }
});

describe("the package", () => {
  test("is not named onetime (an unrelated npm package), and installs the onetime command", () => {
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    assert.equal(PACKAGE.name, "onetime-server");
    assert.equal(lock.name, PACKAGE.name);
    assert.equal(lock.packages[""].name, PACKAGE.name);
    assert.deepEqual(PACKAGE.bin, { onetime: "bin/onetime.js" });
  });

  test("npm start only starts; npm install builds", () => {
    assert.equal(PACKAGE.scripts.prestart, undefined);
    assert.equal(PACKAGE.scripts.start, "node bin/onetime.js serve");
    assert.equal(PACKAGE.scripts.prepare, "node scripts/prepare.mjs");
  });

  test("declares exactly the packages src/ imports", () => {
    const used = new Set<string>();
    const files = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" }).filter(
      (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
    );
    for (const file of files) {
      const text = readFileSync(join(ROOT, "src", file), "utf8");
      const specifiers = [
        ...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+"([^"]+)"/gm),
        ...text.matchAll(/^\s*import\s+"([^"]+)"/gm),
        ...text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g),
      ].map((m) => m[1] as string);
      for (const spec of specifiers) {
        if (spec.startsWith(".") || spec.startsWith("node:")) continue;
        const parts = spec.split("/");
        used.add(spec.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] as string));
      }
    }
    // A peer dependency that a declared package imports itself is declared to pin its version, not
    // imported: ajv-formats, which the TypeBox type provider loads.
    const declared = Object.keys(PACKAGE.dependencies);
    const peers = new Set(
      declared.flatMap((name) =>
        Object.keys(
          JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"))
            .peerDependencies ?? {},
        ),
      ),
    );
    const peerOnly = declared.filter((name) => !used.has(name) && peers.has(name));
    assert.deepEqual(peerOnly, ["ajv-formats"]);
    assert.deepEqual([...used].sort(), declared.filter((name) => !peerOnly.includes(name)).sort());
  });

  test("no production dependency in the lock file asks for a newer Node than the package supports", () => {
    assert.equal(PACKAGE.engines.node, "^20.19.0 || ^22.12.0 || >=24");
    const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8"));
    const tooNew = Object.entries(
      lock.packages as Record<string, { dev?: boolean; engines?: { node?: string } }>,
    )
      .filter(([path, p]) => path !== "" && p.dev !== true && typeof p.engines?.node === "string")
      .filter(([, p]) => {
        // Every production range here is of the form ">= N", "N.x || …" or "^N || …".
        const floor = /^\s*(?:>=\s*|\^)?(\d+)/.exec(p.engines?.node ?? "");
        return floor !== null && Number(floor[1]) > 20;
      })
      .map(([path, p]) => `${path} ${p.engines?.node}`);
    assert.deepEqual(tooNew, []);
  });
});
