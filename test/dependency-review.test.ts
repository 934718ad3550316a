// The offline dependency review (scripts/dependency-review.mjs, run by `npm test`): it passes on the
// repository's own package.json and lockfile, and each of its checks fails on a copy doctored the way
// a bad dependency change would look. The command line is run once on a doctored file.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";
import {
  type KnownBad,
  type Lockfile,
  type Manifest,
  review,
  satisfies,
} from "../scripts/dependency-review.mjs";
import { tempDir } from "./support/temp.js";

const ROOT = join(import.meta.dirname, "..");
const read = <T>(name: string) => JSON.parse(readFileSync(join(ROOT, name), "utf8")) as T;
const PKG = read<Manifest>("package.json");
const LOCK = read<Lockfile>("package-lock.json");
const KNOWN_BAD = read<KnownBad>("scripts/known-bad-versions.json");
/** Stands for src/ and bin/: one import of each runtime dependency. */
const SOURCES = Object.keys(PKG.dependencies ?? {}).map((name) => `import x from "${name}";`);

/** The review of doctored copies: `change` edits fresh copies of package.json and the lockfile. */
function reviewWith(change: (pkg: Manifest, lock: Lockfile, knownBad: KnownBad) => void): string[] {
  const pkg = structuredClone(PKG);
  const lock = structuredClone(LOCK);
  const knownBad = structuredClone(KNOWN_BAD);
  change(pkg, lock, knownBad);
  return review({ pkg, lock, knownBad, sources: SOURCES }).problems;
}

function entry(lock: Lockfile, path: string) {
  const found = lock.packages[path];
  assert.ok(found, `${path} is in the lockfile`);
  return found;
}

function assertOneProblem(problems: string[], pattern: RegExp) {
  assert.ok(problems.length > 0, "the doctored copy is refused");
  assert.ok(
    problems.some((p) => pattern.test(p)),
    `a problem matching ${pattern}; got:\n${problems.join("\n")}`,
  );
}

test("the repository's own package.json and lockfile pass", () => {
  const result = review({ pkg: PKG, lock: LOCK, knownBad: KNOWN_BAD, sources: SOURCES });
  assert.deepEqual(result.problems, []);
  assert.ok(result.notes.some((n) => /^better-sqlite3@\S+ runs at install with: .*tar-fs@2\./.test(n)));
});

test("install scripts: a package not named in allowScripts is refused", () => {
  assertOneProblem(
    reviewWith((_pkg, lock) => {
      entry(lock, "node_modules/fastify").hasInstallScript = true;
    }),
    /^fastify@\S+ runs an install script .*allowScripts/,
  );
  assertOneProblem(
    reviewWith((pkg) => {
      pkg.allowScripts = { esbuild: true };
    }),
    /^better-sqlite3@/,
  );
});

test("known-bad versions: an advisory, a malware release, an unacknowledged unmaintained package", () => {
  assertOneProblem(
    reviewWith((_pkg, lock) => {
      entry(lock, "node_modules/tar-fs").version = "2.1.3";
    }),
    /^tar-fs@2\.1\.3 .*CVE-2025-59343/,
  );
  assertOneProblem(
    reviewWith((_pkg, lock) => {
      lock.packages["node_modules/debug"] = { ...entry(lock, "node_modules/tar-fs"), version: "4.4.2" };
    }),
    /^debug@4\.4\.2 .*malware/,
  );
  assertOneProblem(
    reviewWith((_pkg, _lock, knownBad) => {
      for (const bad of knownBad.entries) delete bad.acknowledged;
    }),
    /^prebuild-install@\S+ .*unmaintained/,
  );
  assert.ok(satisfies("3.1.0", KNOWN_BAD.entries.find((e) => e.package === "tar-fs")?.affected ?? ""));
});

test("lockfile and package.json: every mismatch is named", () => {
  const cases: [(pkg: Manifest, lock: Lockfile) => void, RegExp][] = [
    [
      (pkg) => {
        pkg.dependencies = { ...pkg.dependencies, fastify: "^4.0.0" };
      },
      /dependencies\.fastify: package\.json says \^4\.0\.0/,
    ],
    [
      (_pkg, lock) => {
        entry(lock, "node_modules/fastify").version = "5.0.0";
      },
      /^fastify@5\.0\.0 .*does not satisfy \^5\./,
    ],
    [(_pkg, lock) => void delete lock.packages["node_modules/tar-fs"], /prebuild-install needs tar-fs/],
    [
      (_pkg, lock) => {
        entry(lock, "node_modules/pino").dev = true;
      },
      /pino is a runtime dependency .*dev-only/,
    ],
    [
      (_pkg, lock) => void delete entry(lock, "node_modules/uqr").integrity,
      /node_modules\/uqr has no sha512 integrity/,
    ],
    [
      (_pkg, lock) => {
        entry(lock, "node_modules/uqr").resolved = "git+https://example.com/uqr.git";
      },
      /node_modules\/uqr comes from git\+https/,
    ],
    [
      (_pkg, lock) => {
        entry(lock, "node_modules/@fastify/cookie/node_modules/cookie").version = "2.0.0";
      },
      /cookie@2\.0\.0 ignores the override cookie/,
    ],
    [
      (pkg) => {
        pkg.version = "9.9.9";
      },
      /is for onetime-server@0\.1\.0, package\.json is onetime-server@9\.9\.9/,
    ],
  ];
  for (const [change, pattern] of cases) assertOneProblem(reviewWith(change), pattern);
});

test("licences: only the allowlist, and an SPDX expression must be satisfiable by it", () => {
  const withLicence = (license: string | undefined) =>
    reviewWith((_pkg, lock) => {
      entry(lock, "node_modules/uqr").license = license;
    });
  assertOneProblem(withLicence("GPL-3.0-only"), /node_modules\/uqr@\S+: licence GPL-3\.0-only/);
  assertOneProblem(withLicence("(MIT AND GPL-3.0-only)"), /licence \(MIT AND GPL-3\.0-only\)/);
  assertOneProblem(withLicence(undefined), /licence \(none declared\)/);
  assert.deepEqual(withLicence("(MIT OR GPL-3.0-only)"), [], "a choice that includes MIT is fine");
});

test("a runtime dependency that nothing imports is refused (as @fastify/formbody was)", () => {
  const pkg = structuredClone(PKG);
  pkg.dependencies = { ...pkg.dependencies, "@fastify/formbody": "^8.0.0" };
  const lock = structuredClone(LOCK);
  const root = entry(lock, "");
  root.dependencies = { ...root.dependencies, "@fastify/formbody": "^8.0.0" };
  lock.packages["node_modules/@fastify/formbody"] = { ...entry(lock, "node_modules/uqr"), version: "8.0.2" };
  const { problems } = review({ pkg, lock, knownBad: KNOWN_BAD, sources: SOURCES });
  assert.deepEqual(problems, [
    "@fastify/formbody is a runtime dependency that nothing in src/ or bin/ imports",
  ]);
});

test("a peer dependency that another runtime dependency imports itself is kept (ajv-formats)", () => {
  const sources = SOURCES.filter((text) => !text.includes('"ajv-formats"'));
  assert.deepEqual(review({ pkg: PKG, lock: LOCK, knownBad: KNOWN_BAD, sources }).problems, []);
  const lock = structuredClone(LOCK);
  delete entry(lock, "node_modules/@fastify/type-provider-typebox").peerDependencies;
  assert.deepEqual(review({ pkg: PKG, lock, knownBad: KNOWN_BAD, sources }).problems, [
    "ajv-formats is a runtime dependency that nothing in src/ or bin/ imports",
  ]);
});

test("the command line exits 1 on a doctored lockfile and names the problem, 0 on the real one", async () => {
  using dir = tempDir("onetime-deps-");
  const doctored = structuredClone(LOCK);
  entry(doctored, "node_modules/tar-fs").version = "2.1.3";
  const path = join(dir.path, "package-lock.json");
  writeFileSync(path, JSON.stringify(doctored));
  const run = promisify(execFile);
  const script = join(ROOT, "scripts", "dependency-review.mjs");
  const failed = await run(process.execPath, [script, "--lockfile", path]).then(
    () => assert.fail("the review passed a doctored lockfile"),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(failed.code, 1);
  assert.match(failed.stderr, /tar-fs@2\.1\.3 .*CVE-2025-59343/);
  const ok = await run(process.execPath, [script, "--quiet"]);
  assert.match(ok.stdout, /^dependency review: ok, \d+ packages/m);
});
