// Hand-built brandings for the page tests: a Branding object made here, not read from a BRAND_FILE,
// with a stylesheet whose CSS the test writes and a small PNG (or SVG) logo drawn in code.
import { createHash } from "node:crypto";
import { crc32, deflateSync } from "node:zlib";
import {
  type Accent,
  type Brand,
  type BrandAsset,
  type Branding,
  PLAIN_BRAND,
} from "../../src/branding/brand.js";

/** An asset named as the loader names them: `<stem>.<12 hex of sha256>.<ext>`, with its SRI value. */
export function brandAsset(stem: string, ext: string, type: string, body: Buffer | string): BrandAsset {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, "utf8");
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  return {
    hashedName: `${stem}.${hash}.${ext}`,
    type,
    body: bytes,
    integrity: `sha384-${createHash("sha384").update(bytes).digest("base64")}`,
  };
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
