// package.json declares what the server needs at run time: every package that src imports
// (statically, dynamically, or through createRequire) is a dependency. The other way round, that
// every dependency is imported (or is a peer that a declared one imports itself, as ajv-formats is
// for the TypeBox type provider), is the dependency review's rule 5 (scripts/dependency-review.mjs).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const declared = new Set(Object.keys(pkg.dependencies as Record<string, string>));

/** Package names imported by src's own files (tests excluded), comments left out. */
function importedBySrc(): Set<string> {
  const names = new Set<string>();
  const files = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".test.ts"),
  );
  for (const file of files) {
    const code = readFileSync(join(ROOT, "src", file), "utf8")
      .split("\n")
      .filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line))
      .join("\n");
    for (const [, spec] of code.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\)\(\s*)"([^".][^"]*)"/g)) {
      if (spec === undefined || spec.startsWith("node:")) continue;
      const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
      if (name !== undefined) names.add(name);
    }
  }
  return names;
}

test("every package src imports is a dependency", () => {
  const missing = [...importedBySrc()].filter((name) => !declared.has(name));
  assert.deepEqual(missing, []);
});
