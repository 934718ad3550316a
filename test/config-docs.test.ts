// Every environment variable the configuration reads is documented in docs/configuration.md: the
// names are taken from the readers' calls in src/config*.ts (r.int("PORT", …) and the like), so an
// option added without its line in the docs fails here.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { test } from "node:test";

const ROOT = resolve(import.meta.dirname, "..");

function optionsRead(): string[] {
  const names = new Set<string>();
  const sources = readdirSync(join(ROOT, "src")).filter(
    (f) => /^config.*\.ts$/.test(f) && !f.endsWith(".test.ts"),
  );
  for (const file of sources) {
    const code = readFileSync(join(ROOT, "src", file), "utf8");
    for (const m of code.matchAll(/\br\.\w+(?:<[^>]*>)?\(\s*"([A-Z][A-Z0-9_]+)"|\(r, "([A-Z][A-Z0-9_]+)"/g)) {
      names.add((m[1] ?? m[2]) as string);
    }
    // The reader's own options (WORKERS, TRUST_PROXY…) are read by name inside config-reader.ts.
    for (const m of code.matchAll(/this\.\w+\(\s*"([A-Z][A-Z0-9_]+)"/g)) names.add(m[1] as string);
  }
  return [...names].sort();
}

test("every option the configuration reads is documented in docs/configuration.md", () => {
  const names = optionsRead();
  // The extraction itself must see the options it is meant to check.
  for (const known of [
    "PORT",
    "LOG_FORMAT",
    "ZERO_KNOWLEDGE",
    "FILE_MAX_BYTES",
    "VIEWS_MAX",
    "RATE_LIMIT_CREATE",
    "ADMIN_EMAILS",
  ]) {
    assert.ok(names.includes(known), `${known} not found in src/config*.ts`);
  }
  const docs = readFileSync(join(ROOT, "docs", "configuration.md"), "utf8");
  assert.deepEqual(
    names.filter((name) => !docs.includes(`\`${name}\``)),
    [],
  );
});
