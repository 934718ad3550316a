// src/ compiled to plain JavaScript once per change of its sources, for the tests that run the
// server or the `onetime` command as child processes: `node <compiled>/src/main.js` starts in a third
// of the CPU time `node --import tsx src/main.ts` takes, since nothing is transformed on the way.
//
// The copy mirrors the repository: one .js file per module under src/, as tsc writes dist/ (so a
// module hook still sees each module load), next to links to package.json (its `"type": "module"`
// and version), locales/ and dist/ (the pages' assets), which the sources find from their own
// location. Bare imports resolve up the directory tree to the repository's node_modules.
//
// It lives in .cache/onetime-test/<hash>/ (git-ignored), the hash covering every source file, the
// tsconfig and esbuild's version: an edited source gets a new copy, never a stale one. A copy is
// written under a temporary name and renamed into place, so test files starting together do not
// see each other's half-written copy; the first to finish wins and the others drop theirs.
import { createHash } from "node:crypto";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { join } from "node:path";
import { buildSync, version } from "esbuild";
import { ROOT, SOURCE_BUILD, sourceModules } from "./built-package.js";

const CACHE = join(ROOT, ".cache", "onetime-test");
/** Copies (and a crashed run's temporary ones) older than this are removed when a new one is made. */
const STALE_MS = 24 * 60 * 60 * 1000;

let dir: string | undefined;

/**
 * The absolute path of the compiled counterpart of `source`, a path under src/ ("src/main.ts" →
 * ".cache/onetime-test/<hash>/src/main.js"), compiling src/ first when no copy matches it.
 */
export function compiled(source: string): string {
  if (!source.startsWith("src/") || !source.endsWith(".ts"))
    throw new Error(`not a source module: ${source}`);
  dir ??= compiledTree();
  return join(dir, `${source.slice(0, -".ts".length)}.js`);
}

function compiledTree(): string {
  const sources = sourceModules();
  const hash = createHash("sha256").update(`esbuild ${version}\0`);
  hash.update(readFileSync(join(ROOT, "tsconfig.json")));
  for (const file of sources) {
    hash.update(`\0${file}\0`).update(readFileSync(join(ROOT, "src", file)));
  }
  const target = join(CACHE, hash.digest("hex").slice(0, 32));
  if (existsSync(target)) return target;

  const temporary = `${target}.${process.pid}.tmp`;
  rmSync(temporary, { recursive: true, force: true });
  mkdirSync(temporary, { recursive: true });
  buildSync({
    ...SOURCE_BUILD,
    entryPoints: sources.map((file) => join(ROOT, "src", file)),
    outdir: join(temporary, "src"),
    // Not loaded unless a run asks for it (node --enable-source-maps), for a stack trace in TypeScript.
    sourcemap: "linked",
  });
  for (const path of ["package.json", "locales", "dist"])
    symlinkSync(join(ROOT, path), join(temporary, path));
  try {
    renameSync(temporary, target);
  } catch (error) {
    // Another test process put the same copy there first.
    rmSync(temporary, { recursive: true, force: true });
    if (!existsSync(target)) throw error;
    return target;
  }
  removeStale(target);
  return target;
}

function removeStale(current: string): void {
  const now = Date.now();
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    if (path === current) continue;
    try {
      if (now - statSync(path).mtimeMs > STALE_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}
