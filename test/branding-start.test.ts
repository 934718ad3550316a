// BRAND_FILE at start-up, in real server processes: a colour below 4.5:1 or a domain that is neither
// HOST nor a share domain stops the start as a bad environment variable does (status 1, one
// "configuration" line per problem on stderr, nothing listening, nothing written to DATA_DIR); a
// good file starts, and the start-up log says which dark accent was derived.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { compiled } from "./support/compiled.js";
import { TEST_SECRET } from "./support/helpers.js";
import { freePort, tryConnect } from "./support/ports.js";
import { startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
  port: number;
}

/** Runs `src/main.ts` (compiled: docs/testing.md) with `env` to its exit (a refused start exits itself). */
async function startToExit(env: Record<string, string>): Promise<Exit> {
  const port = await freePort();
  const child = spawn(process.execPath, [compiled("src/main.ts")], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), BIND_ADDRESS: "127.0.0.1", LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, "exit")) as [number | null];
  return { code, stdout, stderr, port };
}

function brandFile(dir: string, content: unknown): string {
  const path = join(dir, "brand.json");
  writeFileSync(path, JSON.stringify(content));
  return path;
}

/** The start was refused before anything: no listener, no line saying it listens, no key written. */
async function assertNothingStarted(run: Exit, dataDir: string): Promise<void> {
  assert.equal(run.code, 1, run.stderr);
  assert.doesNotMatch(run.stdout, /onetime listening|reachable at/);
  await assert.rejects(tryConnect(run.port), { code: "ECONNREFUSED" });
  assert.deepEqual(readdirSync(dataDir), [], "DATA_DIR untouched: no root key, no database");
}

test("an accent below 4.5:1 stops the start: the ratio, the background and a passing colour on stderr", async () => {
  using dir = tempDir("onetime-brand-start-");
  using data = tempDir("onetime-brand-data-");
  const run = await startToExit({
    DATA_DIR: data.path,
    BRAND_FILE: brandFile(dir.path, { name: "Acme", accent: "#ff8800", accent_dark: "#333333" }),
  });
  await assertNothingStarted(run, data.path);
  assert.deepEqual(run.stderr.trim().split("\n"), [
    "onetime: configuration: BRAND_FILE accent: #ff8800 reaches 2.22:1 against #f6f7f5 (the light theme's background)," +
      " below 4.5:1; the nearest colour of the same hue that passes is #ad5c00 (4.53:1)",
    "onetime: configuration: BRAND_FILE accent_dark: #333333 reaches 1.25:1 against #1d2421 (the dark theme's surface)," +
      " below 4.5:1; the nearest colour of the same hue that passes is #898989 (4.52:1)",
  ]);
});

test("a domain that is neither HOST nor in SHARE_DOMAINS is refused, by the primary before any worker", async () => {
  using dir = tempDir("onetime-brand-start-");
  using data = tempDir("onetime-brand-data-");
  const run = await startToExit({
    DATA_DIR: data.path,
    SECRET: TEST_SECRET,
    WORKERS: "2",
    HOST: "secrets.acme.example",
    SHARE_DOMAINS: "links.acme.example",
    BRAND_FILE: brandFile(dir.path, {
      accent: "#0b5fff",
      domains: { "links.acme.example": { name: "Links" }, "other.example": { name: "Other" } },
    }),
  });
  await assertNothingStarted(run, data.path);
  assert.deepEqual(run.stderr.trim().split("\n"), [
    'onetime: configuration: BRAND_FILE domains["other.example"]: "other.example" is neither HOST nor one of' +
      " SHARE_DOMAINS (they are secrets.acme.example, links.acme.example)",
  ]);
  assert.doesNotMatch(run.stdout, /worker/, "no worker was forked");
});

test("a good file starts; the start-up log carries the derived dark accent", async () => {
  using dir = tempDir("onetime-brand-start-");
  writeFileSync(join(dir.path, "acme.svg"), '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>');
  const path = brandFile(dir.path, { name: "Acme Secrets", logo: "acme.svg", accent: "#0b5fff" });
  const server = await startServerProcess({ SECRET: TEST_SECRET, BRAND_FILE: path }, { keepOutput: true });
  try {
    const lines = server
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string; brandFile?: string; notes?: string[] });
    const loaded = lines.find((l) => l.msg === "branding loaded");
    assert.ok(loaded, server.output());
    assert.equal(loaded.brandFile, path);
    assert.equal(loaded.notes?.length, 1);
    assert.match(
      loaded.notes?.[0] ?? "",
      /^BRAND_FILE accent_dark not set: using #[0-9a-f]{6} \(4\.5\d:1 on the dark theme\) derived from accent #0b5fff$/,
    );
    assert.ok(existsSync(path));
    assert.equal((await fetch(`${server.base}/`)).status, 200);
  } finally {
    await server.stop();
  }
});
