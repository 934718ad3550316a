import { AppError } from "./errors.js";

export interface TtlPolicy {
  defaultTtl: number;
  ttlMin: number;
  ttlMaxAnonymous: number;
  ttlMax: number;
}

/**
 * A new secret's TTL in seconds: the default when none is asked for; otherwise the asked one, whole
 * seconds, clamped (never refused) to [ttlMin, ceiling], the ceiling being higher for signed-in
 * callers. Each surface reads its own wire format into the number (v1: http/v1/params.ts).
 */
export function effectiveTtl(ttl: number | undefined, authenticated: boolean, p: TtlPolicy): number {
  if (Number.isNaN(ttl)) throw new TypeError("a TTL must be a number");
  const ceiling = authenticated ? p.ttlMax : p.ttlMaxAnonymous;
  const asked = ttl === undefined ? p.defaultTtl : Math.trunc(ttl);
  return Math.min(Math.max(asked, p.ttlMin), ceiling);
}

export interface ViewsPolicy {
  views: { max: number; maxAnonymous: number };
}

/**
 * How many times a new secret's link may be opened: 1 when not asked; otherwise a whole number from 1
 * to the caller's ceiling (higher for signed-in callers), refused outside it rather than clamped, so
 * that a sender never believes a link opens more often than it will.
 */
export function effectiveViews(views: number | undefined, authenticated: boolean, p: ViewsPolicy): number {
  if (views === undefined) return 1;
  const max = authenticated ? p.views.max : p.views.maxAnonymous;
  if (!Number.isInteger(views) || views < 1 || views > max) {
    throw new AppError("invalid_param", { field: "views", max });
  }
  return views;
}

export function checkSecretSize(value: string, maxBytes: number): void {
  if (Buffer.byteLength(value, "utf8") > maxBytes) {
    throw new AppError("secret_too_large", { max: maxBytes });
  }
}

/** A file's size against FILE_MAX_BYTES; an empty file is a file (its name may be what matters). */
export function checkFileSize(bytes: number, maxBytes: number): void {
  if (bytes > maxBytes) throw new AppError("file_too_large", { max: maxBytes });
}

export interface PassphrasePolicy {
  passphraseRequired: boolean;
  /** Bounds in characters (code points), not bytes. */
  passphraseMinLength: number;
  passphraseMaxLength: number;
}

export function checkPassphrase(passphrase: string | undefined, p: PassphrasePolicy): void {
  if (passphrase === undefined) {
    if (p.passphraseRequired) throw new AppError("passphrase_required");
    return;
  }
  const length = [...passphrase].length;
  if (length < p.passphraseMinLength) {
    throw new AppError("passphrase_too_short", { min: p.passphraseMinLength });
  }
  if (length > p.passphraseMaxLength) {
    throw new AppError("passphrase_too_long", { max: p.passphraseMaxLength });
  }
}
