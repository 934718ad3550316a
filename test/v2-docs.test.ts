// docs/api-v2.md's examples, run as written: every `sh` block, in order, in one bash against a real
// server process (so variables carry from block to block), with ONETIME_URL, ONETIME_USER and
// ONETIME_TOKEN set as the page says. The fenced block after each one is its expected output: text
// exactly; JSON by structure, with keys, times, TTLs and links (which change each run) by type only.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import { createAccount } from "../src/actions/create-account.js";
import { createRuntime } from "../src/server/runtime.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { type TempDir, tempDir } from "./support/temp.js";

const DOC = new URL("../docs/api-v2.md", import.meta.url);
const SECRET = "v2-docs-test-root-secret-0123456789abcdef0123456789";
const USER = "you@example.com";

/** Values that differ on every run: compared by JSON type only. */
const VARIABLE = new Set([
  "identifier",
  "key",
  "shortid",
  "secret_identifier",
  "secret_shortid",
  "share_url",
  "receipt_url",
  "burn_url",
  "created",
  "updated",
  "revealed",
  "burned",
  "secret_ttl",
  "receipt_ttl",
  "metadata_ttl",
  "read_times",
]);

interface Example {
  script: string;
  expected: { lang: string; text: string } | null;
}

/** The sh blocks of the page, each with the fenced block that follows it (before the next sh). */
function examples(markdown: string): Example[] {
  const blocks = [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({
    lang: m[1] ?? "",
    text: m[2] ?? "",
  }));
  const out: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== "sh") return;
    const next = blocks[i + 1];
    out.push({ script: block.text, expected: next !== undefined && next.lang !== "sh" ? next : null });
  });
  return out;
}

function sameShape(actual: unknown, expected: unknown, path: string): void {
  // The page writes "(the same object as receipt)" where an answer repeats an object.
  if (typeof expected === "string" && expected.startsWith("(")) return;
  if (expected !== null && typeof expected === "object") {
    assert.equal(Array.isArray(actual), Array.isArray(expected), path);
    assert.ok(actual !== null && typeof actual === "object", `${path}: ${JSON.stringify(actual)}`);
    if (Array.isArray(expected)) {
      assert.equal((actual as unknown[]).length, expected.length, path);
      for (const [i, item] of expected.entries()) sameShape((actual as unknown[])[i], item, `${path}[${i}]`);
      return;
    }
    assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), path);
    for (const [k, v] of Object.entries(expected)) {
      const a: unknown = (actual as Record<string, unknown>)[k];
      if (VARIABLE.has(k)) assert.equal(typeof a, typeof v, `${path}.${k}`);
      else sameShape(a, v, `${path}.${k}`);
    }
    return;
  }
  assert.deepEqual(actual, expected, path);
}

let dir: TempDir;
let server: Server;
let token: string;
before(async () => {
  dir = tempDir("onetime-v2-docs-");
  const quiet = new Writable({ write: (_c, _e, done) => done() });
  const runtime = await createRuntime({ env: { DATA_DIR: dir.path, SECRET }, logStream: quiet });
  token = await createAccount(runtime.deps, USER);
  await runtime.close();
  server = await startServerProcess({ DATA_DIR: dir.path, SECRET });
});
after(async () => {
  await server?.stop();
  dir?.remove();
});

test("every curl example of docs/api-v2.md runs as written and answers what the page shows", async () => {
  const list = examples(readFileSync(DOC, "utf8"));
  assert.ok(list.length >= 9, `${list.length} examples`);
  const marker = (i: number) => `@@@ example ${i} @@@`;
  const script = [
    "set -euo pipefail",
    ...list.flatMap((e, i) => [`echo '${marker(i)}'`, e.script]),
    `echo '${marker(list.length)}'`,
  ].join("\n");
  const { stdout } = await promisify(execFile)("bash", ["-c", script], {
    env: { ...process.env, ONETIME_URL: server.base, ONETIME_USER: USER, ONETIME_TOKEN: token },
  });
  list.forEach((example, i) => {
    const start = stdout.indexOf(marker(i)) + marker(i).length + 1;
    const output = stdout.slice(start, stdout.indexOf(marker(i + 1)));
    const first = example.script.split("\n")[0];
    if (example.expected === null) return;
    if (example.expected.lang === "json") {
      sameShape(JSON.parse(output), JSON.parse(example.expected.text), first ?? "");
    } else {
      assert.equal(output.trim(), example.expected.text.trim(), first);
    }
  });
});
