import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { run, type ScratchPackage, scratchPackage } from "./support/built-package.js";
import { tempDir } from "./support/temp.js";

// `npm run bench -- --quick` end to end on a scratch build: the real server, the raw ceiling, the
// load generator and the profiler, on SQLite. What it checks is that every row comes out with its
// ratio and that the run refuses to pass when a rate-limited row was refused; never a rate.

const TSX = import.meta.resolve("tsx");
// v2-share and v2-reveal are left out here: they are the same loop as share and reveal on other
// routes, and each reveal row seeds thousands of secrets first (half of this file's cost).
const SCENARIOS = ["share", "reveal", "zk-share"];

interface Result {
  rows: {
    target: string;
    scenario: string;
    ratio?: number;
    errors: number;
    exhausted: number;
    refused?: number;
  }[];
  extras: {
    stages?: {
      target: string;
      scenario: string;
      mainThreadUsPerRequest: number;
      refused: number;
      stages: Record<string, number>;
    }[];
  };
}

describe("npm run bench -- --quick", () => {
  let pkg: ScratchPackage;
  const out = tempDir("onetime-bench-out-");
  before(async () => {
    pkg = scratchPackage();
    await pkg.build();
  });
  after(() => {
    pkg?.remove();
    out.remove();
  });
  const bench = (file: string, args: string[]) =>
    run(
      process.execPath,
      [
        "--import",
        TSX,
        "bench/run.ts",
        "--quick",
        "--no-build",
        "--tool",
        "autocannon",
        "--stores",
        "sqlite",
      ].concat(["--server-dir", pkg.dir, "--out", join(out.path, file), ...args]),
      {},
    );

  test("prints every scenario twice (limits off, then on) with its ratio, and the stage table", async () => {
    const res = await bench("quick.json", ["--scenarios", SCENARIOS.join(",")]);
    assert.equal(res.code, 0, res.stderr);
    const result = JSON.parse(readFileSync(join(out.path, "quick.json"), "utf8")) as Result;
    for (const scenario of SCENARIOS) {
      for (const target of ["sqlite", "sqlite rl"]) {
        const row = result.rows.find((r) => r.target === target && r.scenario === scenario);
        assert.ok(row !== undefined, `${target} ${scenario} missing`);
        assert.ok(
          Number.isFinite(row.ratio) && (row.ratio ?? 0) > 0,
          `${target} ${scenario}: ratio ${row.ratio}`,
        );
        assert.equal(row.errors + row.exhausted, 0, `${target} ${scenario}`);
        if (target === "sqlite rl") assert.equal(row.refused, 0);
        assert.match(res.stdout, new RegExp(`\\|\\s+${target} \\|\\s+${scenario} \\|\\s+64 \\|`));
      }
    }
    const columns = result.extras.stages ?? [];
    assert.deepEqual(
      columns.map((c) => `${c.target} ${c.scenario}`),
      ["sqlite share", "sqlite reveal"],
    );
    for (const column of columns) {
      const sum = Object.values(column.stages).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - column.mainThreadUsPerRequest) < 0.01 * column.mainThreadUsPerRequest + 0.01);
      assert.ok(
        (column.stages.store ?? 0) > 0 && (column.stages["key derivation and AEAD"] ?? 0) > 0,
        JSON.stringify(column),
      );
      // The stage runs have the limits on: the refusal count is read from their /metrics, and is 0.
      assert.equal(column.refused, 0);
    }
    assert.match(res.stdout, /\| CPU µs per request\s+\|\s+sqlite share \|\s+sqlite reveal \|/);
  });

  test("a rate-limited row that the server refused fails the run, loudly", async () => {
    const res = await bench("refused.json", [
      "--scenarios",
      "share",
      "--no-stages",
      "--env",
      "RATE_LIMIT_CREATE=20",
    ]);
    assert.equal(res.code, 1, res.stderr);
    assert.match(
      res.stderr,
      /FAILED ROW: sqlite rl share c=64: \d+ requests refused by a rate limit \(429\)/,
    );
    const result = JSON.parse(readFileSync(join(out.path, "refused.json"), "utf8")) as Result;
    const row = result.rows.find((r) => r.target === "sqlite rl" && r.scenario === "share");
    assert.ok((row?.refused ?? 0) > 0);
    // The same share without limits is untouched by RATE_LIMIT_CREATE.
    assert.equal(result.rows.find((r) => r.target === "sqlite" && r.scenario === "share")?.errors, 0);
  });
});
