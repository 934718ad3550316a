// The brand's files for /assets/: a logo read at start-up, recognised by its content, and the
// generated stylesheets (stylesheet.ts). Each is named by a hash of its body, so it may be cached
// for a year, and carries its Subresource Integrity value.

import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import type { BrandAsset } from "./brand.js";

/** A logo larger than this is refused: it is sent with every page. */
export const LOGO_MAX_BYTES = 256 * 1024;

/** "logo", "svg", … → "logo.1a2b3c4d5e6f.svg" (12 hex digits of the body's SHA-256). */
export function hashedAsset(stem: string, ext: string, type: string, body: Buffer): BrandAsset {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  return {
    hashedName: `${stem}.${hash}.${ext}`,
    type,
    body,
    integrity: `sha384-${createHash("sha384").update(body).digest("base64")}`,
  };
}

interface ImageKind {
  ext: string;
  type: string;
}

/** PNG, WebP, JPEG or SVG, by the bytes a file starts with (an SVG: by its root element). */
export function imageKind(body: Buffer): ImageKind | null {
  const starts = (bytes: number[], at = 0) => bytes.every((b, i) => body[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { ext: "png", type: "image/png" };
  if (starts([0xff, 0xd8, 0xff])) return { ext: "jpg", type: "image/jpeg" };
  if (
    body.subarray(0, 4).toString("latin1") === "RIFF" &&
    body.subarray(8, 12).toString("latin1") === "WEBP"
  ) {
    return { ext: "webp", type: "image/webp" };
  }
  if (isSvg(body)) return { ext: "svg", type: "image/svg+xml" };
  return null;
}

/**
 * An SVG document: UTF-8 text whose first element, after an optional byte order mark, XML
 * declaration, comments and doctype, is <svg>.
 */
function isSvg(body: Buffer): boolean {
  const text = body.toString("utf8");
  if (text.includes("\uFFFD")) return false;
  const prolog =
    /^\uFEFF?\s*(?:<\?xml[^>]*\?>\s*)?(?:(?:<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)\s*)*/i;
  const rest = text.replace(prolog, "");
  return /^<svg[\s>/]/.test(rest);
}

/**
 * Reads a logo: the BrandAsset, or why it cannot be used (a sentence naming the file, for the
 * start-up problems).
 */
export function readLogo(path: string): BrandAsset | string {
  let body: Buffer;
  try {
    const size = statSync(path).size;
    if (size > LOGO_MAX_BYTES) {
      return `${path} is ${Math.ceil(size / 1024)} KiB; a logo must be at most ${LOGO_MAX_BYTES / 1024} KiB`;
    }
    body = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `cannot read ${path}${code === undefined ? "" : ` (${code})`}`;
  }
  const kind = imageKind(body);
  if (kind === null) return `${path} is not a PNG, WebP, JPEG or SVG image (by its content)`;
  return hashedAsset("logo", kind.ext, kind.type, body);
}
