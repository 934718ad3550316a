import type { Config } from "../config.js";
import { AppError } from "./errors.js";

export interface TtlPolicy {
  defaultTtl: number;
  ttlMin: number;
  ttlMaxAnonymous: number;
  ttlMax: number;
}

/**
 * v1 TTL rules: missing, empty or 0 → the default; otherwise read like Ruby's to_i (leading digits;
 * anything else is 0) and clamped, never rejected, to [ttlMin, ceiling].
 */
export function effectiveTtl(raw: string | undefined, authenticated: boolean, p: TtlPolicy): number {
  const ceiling = authenticated ? p.ttlMax : p.ttlMaxAnonymous;
  if (raw === undefined || raw.trim() === "" || /^\s*[+-]?0+(\.0*)?\s*$/.test(raw)) {
    return Math.min(Math.max(p.defaultTtl, p.ttlMin), ceiling);
  }
  const match = /^\s*([+-]?\d+)/.exec(raw);
  const n = match?.[1] === undefined ? 0 : Number(match[1]);
  if (!Number.isFinite(n)) return n > 0 ? ceiling : p.ttlMin;
  return Math.min(Math.max(n, p.ttlMin), ceiling);
}

export function checkSecretSize(value: string, maxBytes: number): void {
  if (Buffer.byteLength(value, "utf8") > maxBytes) {
    throw new AppError("secret_too_large", { max: maxBytes });
  }
}

export function checkPassphrase(passphrase: string | undefined, config: Config): void {
  if (passphrase === undefined) {
    if (config.passphraseRequired) throw new AppError("passphrase_required");
    return;
  }
  const length = [...passphrase].length;
  if (length < config.passphraseMinLength) {
    throw new AppError("passphrase_too_short", { min: config.passphraseMinLength });
  }
  if (length > config.passphraseMaxLength) {
    throw new AppError("passphrase_too_long", { max: config.passphraseMaxLength });
  }
}
