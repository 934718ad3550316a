// `onetime audit export`, run as a real child process on a real data directory: the command
// line's own account work is in the log as `system`, the export is recorded before it is read, and
// each line is one entry as JSON, oldest first, with no token in any of them.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { ROOT, run } from "./support/built-package.js";
import { compiled } from "./support/compiled.js";
import { TEST_SECRET } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";

const dir = tempDir("onetime-cli-audit-");
const env: Record<string, string> = { DATA_DIR: dir.path, SECRET: TEST_SECRET };
const cli = (args: string[]) => run(process.execPath, [compiled("src/cli/bin.ts"), ...args], env, ROOT);

before(async () => {
  const init = await cli(["purge", "--init"]);
  assert.equal(init.code, 0, init.stderr);
});
after(() => dir.remove());

test("audit export prints every entry as one JSON line, oldest first, and is recorded itself", async () => {
  const created = await cli(["account", "create", "ivy@example.com"]);
  assert.equal(created.code, 0, created.stderr);
  const replaced = await cli(["account", "token", "ivy@example.com"]);
  assert.equal((await cli(["account", "delete", "ivy@example.com"])).code, 0);

  const exported = await cli(["audit", "export"]);
  assert.equal(exported.code, 0, exported.stderr);
  const lines = exported.stdout.trimEnd().split("\n");
  const entries = lines.map((line) => JSON.parse(line) as Record<string, string>);
  assert.deepEqual(
    entries.map((e) => [e.action, e.actor, e.target, e.outcome, e.detail, e.ip]),
    [
      ["account_created", "system", "ivy@example.com", "ok", "cli", ""],
      ["token_created", "system", "ivy@example.com", "ok", "cli", ""],
      ["token_created", "system", "ivy@example.com", "ok", "cli", ""],
      ["account_deleted", "system", "ivy@example.com", "ok", "cli", ""],
      ["audit_exported", "system", "", "ok", "", ""],
    ],
  );
  for (const e of entries) {
    assert.deepEqual(Object.keys(e), ["id", "at", "actor", "action", "target", "ip", "outcome", "detail"]);
    assert.equal(new Date(e.at as string).toISOString(), e.at, "times in ISO 8601, UTC");
  }
  assert.deepEqual(
    entries.map((e) => e.id),
    entries.map((e) => e.id).sort(),
  );
  for (const token of [created.stdout, replaced.stdout].map(
    (out) => out.trimEnd().split("\n").at(-1) ?? "",
  )) {
    assert.match(token, /^[0-9a-z]{50}$/);
    assert.ok(!exported.stdout.includes(token), "no token in the export");
  }
  assert.match(
    exported.stderr,
    /^onetime: store: /m,
    "the store is named on stderr, stdout holds only the log",
  );
});

test("audit without export, or with anything else, is a usage error", async () => {
  for (const args of [
    ["audit"],
    ["audit", "import"],
    ["audit", "export", "now"],
    ["audit", "export", "--init"],
  ]) {
    const res = await cli(args);
    assert.equal(res.code, 2, args.join(" "));
    assert.equal(res.stdout, "");
  }
});
