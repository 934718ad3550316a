// Brandings for the page tests. Hand-built Branding objects (brand(), branding()), with a stylesheet
// whose CSS the test writes and a PNG logo drawn in code; and real BRAND_FILEs written to a folder
// (writeBrandFile()) for a server to load at start-up.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { hashedAsset } from "../../src/branding/assets.js";
import {
  type Accent,
  type Brand,
  type BrandAsset,
  type Branding,
  PLAIN_BRAND,
} from "../../src/branding/brand.js";

/** An asset named as the loader names them (`<stem>.<12 hex of sha256>.<ext>`), with its SRI value. */
export function brandAsset(stem: string, ext: string, type: string, body: Buffer | string): BrandAsset {
  return hashedAsset(stem, ext, type, Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8"));
}

/** A `width`×`height` PNG of one colour (8-bit RGB, no filter), made with zlib alone. */
export function solidPng(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, "latin1");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
    return Buffer.concat([head, data, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat()),
  ]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * The accent stylesheet, written by hand the way app.css sets its palette: light by default, dark
 * from the system unless the switcher chose light, and dark when the switcher chose it.
 */
export function accentCss(a: Accent): string {
  const light = `--accent: ${a.light};\n  --accent-text: ${a.lightText};`;
  const dark = `--accent: ${a.dark};\n  --accent-text: ${a.darkText};`;
  return `:root {\n  ${light}\n}\n@media (prefers-color-scheme: dark) {\n  :root:not([data-theme="light"]) {\n  ${dark}\n  }\n}\n:root[data-theme="dark"] {\n  ${dark}\n}\n`;
}

/** A brand: what `parts` sets, the plain brand's values for the rest; a stylesheet for an accent. */
export function brand(parts: Partial<Brand>): Brand {
  const accent = parts.accent ?? null;
  const stylesheet =
    parts.stylesheet ??
    (accent === null ? null : brandAsset("brand", "css", "text/css; charset=utf-8", accentCss(accent)));
  return { ...PLAIN_BRAND, ...parts, accent, stylesheet };
}

/** A Branding of `base` and per-host brands (host names without port, lower case). */
export function branding(base: Brand, domains: Record<string, Brand> = {}): Branding {
  const all = [base, ...Object.values(domains)];
  const assets = new Map<string, BrandAsset>();
  for (const b of all)
    for (const asset of [b.logo, b.stylesheet]) if (asset !== null) assets.set(asset.hashedName, asset);
  return {
    base,
    forHost: (host) => domains[host.replace(/:\d+$/, "").toLowerCase()] ?? base,
    asset: (name) => assets.get(name) ?? null,
    notes: [],
  };
}

/**
 * Writes `brand` as brand.json in `dir`, with the files it names (logos) beside it; returns the
 * JSON file's path, for BRAND_FILE.
 */
export function writeBrandFile(
  dir: string,
  brand: unknown,
  files: Record<string, Buffer | string> = {},
): string {
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  const path = join(dir, "brand.json");
  writeFileSync(path, JSON.stringify(brand, null, 2));
  return path;
}

/** A square logo: a rounded tile of `colour` with a white keyhole. */
export function keyholeSvg(colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="${colour}"/>
<circle cx="32" cy="25" r="10" fill="#ffffff"/>
<path d="M27 31h10l4 20H23z" fill="#ffffff"/>
</svg>
`;
}
