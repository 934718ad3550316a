// A scratch copy of the package as an install leaves it — package.json, bin/, scripts/, dist/,
// locales/ and node_modules/ — so that tests can run `npm start`, the `onetime` bin and the prepare
// script for real without touching the repository's own dist/. dist/ is compiled by esbuild, one
// output file per module as tsc writes them (the type check is `npm run typecheck`'s job, and tsc
// takes ten times longer), then the pages' assets by scripts/build-web.mjs, as `npm run build` does.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BuildOptions, build } from "esbuild";
import { tempDir } from "./temp.js";

export const ROOT = join(import.meta.dirname, "..", "..");

/** The modules under src/ a build compiles (tests left out), relative to src/ and sorted. */
export function sourceModules(): string[] {
  return readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts"))
    .sort();
}

/**
 * How both the scratch package and the tests' compiled copy (compiled.ts) turn src/ into .js files;
 * each names its own entry points (sourceModules()), so importing this file lists nothing.
 */
export const SOURCE_BUILD: BuildOptions = {
  outbase: join(ROOT, "src"),
  absWorkingDir: ROOT,
  tsconfig: join(ROOT, "tsconfig.json"),
  format: "esm",
  platform: "node",
  target: "node20",
  logLevel: "error",
};

export interface ScratchPackage {
  dir: string;
  /** Compiles src/ into dist/ and builds the pages' assets. */
  build(): Promise<void>;
  remove(): void;
}

/** `node_modules: false` leaves it out: a checkout before any install, or with no build tools. */
export function scratchPackage({ nodeModules = true } = {}): ScratchPackage {
  const { path: dir, remove } = tempDir("onetime-package-");
  for (const path of ["package.json", "bin", "scripts"])
    cpSync(join(ROOT, path), join(dir, path), { recursive: true });
  for (const path of ["locales", "web", ...(nodeModules ? ["node_modules"] : [])]) {
    symlinkSync(join(ROOT, path), join(dir, path), "dir");
  }
  return {
    dir,
    async build() {
      mkdirSync(join(dir, "dist"));
      const entryPoints = sourceModules().map((file) => join(ROOT, "src", file));
      await build({ ...SOURCE_BUILD, entryPoints, outdir: join(dir, "dist") });
      execFileSync(process.execPath, [join(dir, "scripts/build-web.mjs")], { stdio: "ignore" });
    },
    remove,
  };
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion in `cwd` with only PATH, HOME and the given variables: nothing of the
 * test runner's environment (npm_config_*, the repository's own DATA_DIR…) leaks in.
 */
export function run(command: string, args: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  return new Promise((resolve, reject) => {
    const base = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir() };
    const child = spawn(command, args, { cwd, env: { ...base, ...env } });
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
