// Reads environment variables for loadConfig (config.ts): each method parses one variable, and every
// problem is collected rather than thrown, so that the operator sees all of them at once.

import { isIP, isIPv4 } from "node:net";
import { availableParallelism } from "node:os";

export type Env = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

interface IntOptions {
  min?: number;
  max?: number;
}

export class Reader {
  private readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  problem(text: string): void {
    this.problems.push(text);
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === "" ? undefined : value.trim();
  }

  str(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalStr(name: string): string | null {
    return this.raw(name) ?? null;
  }

  int(name: string, fallback: number, { min = -Infinity, max = Infinity }: IntOptions = {}): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!/^-?\d+$/.test(value)) {
      this.problem(`${name} must be a whole number (got "${value}")`);
      return fallback;
    }
    const n = Number(value);
    if (n < min || n > max) {
      this.problem(`${name} must be ${range(min, max)} (got ${value})`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (["true", "1", "yes", "on"].includes(value)) return true;
    if (["false", "0", "no", "off"].includes(value)) return false;
    this.problem(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problem(`${name} must be one of ${allowed.join(", ")} (got "${value}")`);
    return fallback;
  }

  list(name: string, fallback: string[]): string[] {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    return value.split(/[\s,]+/).filter((v) => v !== "");
  }

  intList(name: string, fallback: number[]): number[] {
    const items = this.list(name, []);
    if (items.length === 0) return fallback;
    if (!items.every((v) => /^\d+$/.test(v) && Number(v) > 0)) {
      this.problem(
        `${name} must be positive whole numbers of seconds separated by spaces (got "${items.join(" ")}")`,
      );
      return fallback;
    }
    return [...new Set(items.map(Number))].sort((a, b) => a - b);
  }

  /** WORKERS: a count from 1 to 256, or `auto`/`0` for one per available CPU. */
  workers(): number {
    const value = this.raw("WORKERS")?.toLowerCase();
    if (value === "auto" || value === "0") return Math.min(256, availableParallelism());
    if (value !== undefined && !/^\d+$/.test(value)) {
      this.problem(`WORKERS must be a number from 1 to 256, or auto (got "${value}")`);
      return 1;
    }
    return this.int("WORKERS", 1, { min: 1, max: 256 });
  }

  /** TRUSTED_PROXY_ENABLED with TRUSTED_PROXY_CIDRS (addresses/CIDRs) or TRUSTED_PROXY_DEPTH (hops). */
  trustProxy(): boolean | string | number {
    if (!this.bool("TRUSTED_PROXY_ENABLED", false)) return false;
    const cidrs = this.list("TRUSTED_PROXY_CIDRS", []);
    const depth = this.int("TRUSTED_PROXY_DEPTH", 0, { min: 0, max: 32 });
    const invalid = cidrs.filter((c) => !isProxyRange(c));
    if (invalid.length > 0) {
      this.problem(
        `TRUSTED_PROXY_CIDRS must be IP addresses or ranges like 10.0.0.0/8 (got "${invalid.join(" ")}")`,
      );
      return false;
    }
    if (cidrs.length > 0 && depth > 0) {
      this.problem("set only one of TRUSTED_PROXY_CIDRS and TRUSTED_PROXY_DEPTH");
    }
    if (cidrs.length > 0) return cidrs.join(",");
    if (depth > 0) return depth;
    this.problem("TRUSTED_PROXY_ENABLED=true needs TRUSTED_PROXY_CIDRS or TRUSTED_PROXY_DEPTH");
    return false;
  }
}

/** "between 1 and 10", "at least 1" or "at most 10": never a bound of Infinity. */
function range(min: number, max: number): string {
  if (max === Infinity) return `at least ${min}`;
  if (min === -Infinity) return `at most ${max}`;
  return `between ${min} and ${max}`;
}

/** The forms Fastify's trustProxy (proxy-addr) accepts: address, address/prefix or /mask, named range. */
function isProxyRange(value: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(value)) return true;
  const [address = "", range, ...rest] = value.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^\d{1,3}$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && isIPv4(range);
}

/** `host:port` (an IPv6 host in brackets); null when unset. */
export function listenAddress(r: Reader, name: string): { host: string; port: number } | null {
  const value = r.optionalStr(name);
  if (value === null) return null;
  const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value);
  const port = Number(match?.[2]);
  if (match === null || port > 65535) {
    r.problem(`${name} must be host:port, e.g. 127.0.0.1:9464 or [::1]:9464 (got "${value}")`);
    return null;
  }
  return { host: (match[1] ?? "").replace(/^\[(.*)\]$/, "$1"), port };
}
