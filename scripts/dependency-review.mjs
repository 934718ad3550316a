// Offline dependency review, run by `npm test` (and `npm run deps:review`). `npm audit` needs the
// registry's advisory service, which CI and the development machines cannot reach; this reads only
// package.json, package-lock.json and scripts/known-bad-versions.json, and fails when:
//   1. a package in the lockfile has an install script and package.json's allowScripts does not name it;
//   2. a locked version is in the known-bad list (advisories, malware, unmaintained and not acknowledged);
//   3. the lockfile does not match package.json (root entry, direct versions, overrides, every
//      dependency resolvable, every tarball from the registry with an integrity hash);
//   4. a package's licence is outside the allowlist;
//   5. a runtime dependency is imported nowhere in src/ or bin/ (a peer dependency of another runtime
//      dependency, which that one imports itself, counts as used: ajv-formats for the TypeBox provider).
// What it does not do, and how operators run `npm audit`: docs/security.md#dependencies.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import semver from "semver";

/** SPDX identifiers accepted: permissive licences that ask for no more than a notice. */
export const ALLOWED_LICENCES = new Set([
  "MIT",
  "MIT-0",
  "ISC",
  "BSD-2-Clause",
  "BSD-3-Clause",
  "Apache-2.0",
  "BlueOak-1.0.0",
  "0BSD",
  "CC0-1.0",
  "Zlib",
  "Unlicense",
  "Python-2.0",
]);

const REGISTRY = "https://registry.npmjs.org/";

// ---- versions and ranges: npm's own semver package ----

/** Whether `version` is in the npm range `range`; prereleases count (an advisory covers them too). */
export function satisfies(version, range) {
  return semver.valid(version) !== null && semver.satisfies(version, range, { includePrerelease: true });
}

// ---- the lockfile ----

/** The package name of a lockfile path: `node_modules/a/node_modules/@s/b` → `@s/b`. */
function nameOf(path, entry) {
  return entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
}

function entries(lock) {
  return Object.entries(lock.packages ?? {}).filter(([path]) => path !== "");
}

/** Where Node would find `dep` from the package at `path`: its own node_modules, then each parent's. */
function resolve(lock, path, dep) {
  let base = path;
  for (;;) {
    const candidate = `${base === "" ? "" : `${base}/`}node_modules/${dep}`;
    if (lock.packages[candidate] !== undefined) return candidate;
    if (base === "") return null;
    const cut = base.lastIndexOf("/node_modules/");
    base = cut === -1 ? "" : base.slice(0, cut);
  }
}

// ---- the checks; each returns problems (strings), some also notes ----

export function checkInstallScripts(pkg, lock) {
  const allowed = pkg.allowScripts ?? {};
  return entries(lock)
    .filter(([, e]) => e.hasInstallScript === true)
    .map(([path, e]) => [nameOf(path, e), e.version])
    .filter(([name]) => allowed[name] !== true)
    .map(
      ([name, version]) =>
        `${name}@${version} runs an install script and package.json allowScripts does not allow it`,
    );
}

export function checkKnownBad(lock, list) {
  const problems = [];
  const notes = [];
  for (const [path, e] of entries(lock)) {
    const name = nameOf(path, e);
    for (const bad of list.entries) {
      if (bad.package !== name || !satisfies(e.version, bad.affected)) continue;
      const line = `${name}@${e.version} (${path}): ${bad.kind}, ${bad.id}: ${bad.summary}`;
      if (bad.kind === "unmaintained" && typeof bad.acknowledged === "string") {
        notes.push(`${line}; acknowledged: ${bad.acknowledged}`);
      } else {
        problems.push(line);
      }
    }
  }
  return { problems, notes };
}

const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"];

export function checkLockfile(pkg, lock) {
  const problems = [];
  if (!(lock.lockfileVersion >= 2) || typeof lock.packages !== "object") {
    return ["package-lock.json has no `packages` map (lockfileVersion 2 or 3 expected)"];
  }
  const root = lock.packages[""] ?? {};
  if (lock.name !== pkg.name || root.version !== pkg.version) {
    problems.push(
      `package-lock.json is for ${lock.name}@${root.version}, package.json is ${pkg.name}@${pkg.version}`,
    );
  }
  for (const field of DEPENDENCY_FIELDS) {
    const want = pkg[field] ?? {};
    const have = root[field] ?? {};
    for (const name of new Set([...Object.keys(want), ...Object.keys(have)])) {
      if (want[name] !== have[name]) {
        problems.push(
          `${field}.${name}: package.json says ${want[name] ?? "nothing"}, the lockfile ${have[name] ?? "nothing"}`,
        );
        continue;
      }
      const entry = lock.packages[`node_modules/${name}`];
      if (entry === undefined) {
        if (field !== "optionalDependencies" && field !== "peerDependencies")
          problems.push(`${name} is not in the lockfile`);
      } else if (!want[name].startsWith("npm:") && !satisfies(entry.version, want[name])) {
        problems.push(`${name}@${entry.version} in the lockfile does not satisfy ${want[name]} (${field})`);
      } else if (field === "dependencies" && entry.dev === true) {
        problems.push(`${name} is a runtime dependency but the lockfile marks it dev-only`);
      }
    }
  }
  for (const [name, range] of Object.entries(pkg.overrides ?? {})) {
    if (typeof range !== "string") continue;
    for (const [path, e] of entries(lock)) {
      if (nameOf(path, e) === name && !satisfies(e.version, range)) {
        problems.push(`${path}@${e.version} ignores the override ${name}: ${range}`);
      }
    }
  }
  for (const [path, e] of entries(lock)) {
    if (e.link === true) continue;
    if (typeof e.resolved === "string" && !e.resolved.startsWith(REGISTRY)) {
      problems.push(`${path} comes from ${e.resolved}, not the npm registry`);
    }
    if (!/^sha512-/.test(e.integrity ?? "")) problems.push(`${path} has no sha512 integrity hash`);
    const optional = new Set([
      ...Object.keys(e.optionalDependencies ?? {}),
      ...Object.keys(e.peerDependencies ?? {}),
    ]);
    for (const dep of Object.keys(e.dependencies ?? {})) {
      if (!optional.has(dep) && resolve(lock, path, dep) === null)
        problems.push(`${path} needs ${dep}, which the lockfile lacks`);
    }
  }
  return problems;
}

/** Whether an SPDX expression (`A OR B`, `A AND B`, parentheses, `WITH`) is satisfied by `allowed`. */
export function licenceAllowed(expression, allowed = ALLOWED_LICENCES) {
  const tokens = expression.replace(/[()]/g, " $& ").trim().split(/\s+/);
  let i = 0;
  const primary = () => {
    const token = tokens[i++];
    if (token === "(") {
      const value = or();
      i++; // ")"
      return value;
    }
    if (tokens[i] === "WITH") i += 2; // an exception adds permissions, never takes any away
    return allowed.has(token);
  };
  const and = () => {
    let value = primary();
    while (tokens[i] === "AND") {
      i++;
      value = primary() && value;
    }
    return value;
  };
  const or = () => {
    let value = and();
    while (tokens[i] === "OR") {
      i++;
      value = and() || value;
    }
    return value;
  };
  return or() && i === tokens.length;
}

export function checkLicences(lock, allowed = ALLOWED_LICENCES) {
  return entries(lock)
    .filter(([, e]) => e.link !== true)
    .filter(([, e]) => typeof e.license !== "string" || !licenceAllowed(e.license, allowed))
    .map(
      ([path, e]) =>
        `${path}@${e.version}: licence ${e.license ?? "(none declared)"} is not on the allowlist`,
    );
}

/**
 * Runtime dependencies that no file of `sources` (their text) imports or names, and that no other
 * runtime dependency asks for as a peer (`lock`: its entries' peerDependencies).
 */
export function checkUnused(pkg, sources, lock = { packages: {} }) {
  const runtime = Object.keys(pkg.dependencies ?? {});
  const peers = new Set(
    runtime.flatMap((name) => Object.keys(lock.packages?.[`node_modules/${name}`]?.peerDependencies ?? {})),
  );
  return runtime
    .filter((name) => {
      const quoted = new RegExp(`["'\`]${name.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}(["'\`/])`);
      return !peers.has(name) && !sources.some((text) => quoted.test(text));
    })
    .map((name) => `${name} is a runtime dependency that nothing in src/ or bin/ imports`);
}

/** What install scripts pull in at `npm ci --omit=dev`: each allowed package's runtime closure. */
export function installTimeChains(lock) {
  const chains = [];
  for (const [path, e] of entries(lock)) {
    if (e.hasInstallScript !== true || e.dev === true) continue;
    const seen = new Set();
    const walk = (from) => {
      for (const dep of Object.keys(lock.packages[from]?.dependencies ?? {})) {
        const found = resolve(lock, from, dep);
        if (found === null || seen.has(found)) continue;
        seen.add(found);
        walk(found);
      }
    };
    walk(path);
    const names = [...seen].map((p) => `${nameOf(p, lock.packages[p])}@${lock.packages[p].version}`).sort();
    chains.push(`${nameOf(path, e)}@${e.version} runs at install with: ${names.join(", ") || "nothing"}`);
  }
  return chains;
}

/** Every check. `sources`: the text of src/ and bin/ files (not tests). */
export function review({ pkg, lock, knownBad, sources }) {
  const bad = checkKnownBad(lock, knownBad);
  const problems = [
    ...checkInstallScripts(pkg, lock),
    ...bad.problems,
    ...checkLockfile(pkg, lock),
    ...checkLicences(lock),
    ...checkUnused(pkg, sources, lock),
  ];
  return { problems, notes: [...bad.notes, ...installTimeChains(lock)], packages: entries(lock).length };
}

// ---- command line ----

function sourceTexts(root) {
  const texts = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|mjs|cjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        texts.push(readFileSync(path, "utf8"));
      }
    }
  };
  for (const dir of ["src", "bin"]) walk(join(root, dir));
  return texts;
}

function main() {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const { values } = parseArgs({
    options: { lockfile: { type: "string" }, package: { type: "string" }, quiet: { type: "boolean" } },
  });
  const read = (path) => JSON.parse(readFileSync(path, "utf8"));
  const lockPath = values.lockfile ?? join(root, "package-lock.json");
  const result = review({
    pkg: read(values.package ?? join(root, "package.json")),
    lock: read(lockPath),
    knownBad: read(join(root, "scripts", "known-bad-versions.json")),
    sources: sourceTexts(root),
  });
  if (!values.quiet) for (const note of result.notes) console.log(`dependency review: note: ${note}`);
  for (const problem of result.problems) console.error(`dependency review: ${problem}`);
  const what = `${result.packages} packages in ${relative(process.cwd(), lockPath) || lockPath}`;
  if (result.problems.length > 0) {
    console.error(`dependency review: ${result.problems.length} problem(s) in ${what}`);
    process.exit(1);
  }
  console.log(`dependency review: ok, ${what}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
