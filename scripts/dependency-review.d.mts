// Types for scripts/dependency-review.mjs, for the tests that import it.
export interface Manifest {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  overrides?: Record<string, unknown>;
  allowScripts?: Record<string, boolean>;
  [field: string]: unknown;
}
export interface LockEntry {
  version: string;
  name?: string;
  license?: string;
  integrity?: string;
  resolved?: string;
  dev?: boolean;
  link?: boolean;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  [field: string]: unknown;
}
export interface Lockfile {
  name: string;
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
  [field: string]: unknown;
}
export interface KnownBad {
  entries: {
    package: string;
    affected: string;
    kind: "vulnerable" | "malware" | "unmaintained";
    id: string;
    summary: string;
    source: string;
    acknowledged?: string;
  }[];
}
export const ALLOWED_LICENCES: Set<string>;
export function satisfies(version: string, range: string): boolean;
export function licenceAllowed(expression: string, allowed?: Set<string>): boolean;
export function checkInstallScripts(pkg: Manifest, lock: Lockfile): string[];
export function checkKnownBad(lock: Lockfile, list: KnownBad): { problems: string[]; notes: string[] };
export function checkLockfile(pkg: Manifest, lock: Lockfile): string[];
export function checkLicences(lock: Lockfile, allowed?: Set<string>): string[];
export function checkUnused(pkg: Manifest, sources: string[], lock?: Lockfile): string[];
export function installTimeChains(lock: Lockfile): string[];
export function review(input: { pkg: Manifest; lock: Lockfile; knownBad: KnownBad; sources: string[] }): {
  problems: string[];
  notes: string[];
  packages: number;
};
