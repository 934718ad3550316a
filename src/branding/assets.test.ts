// A logo is recognised by its content, not its name: PNG, WebP and JPEG by their magic bytes, SVG by
// its root element; anything else, or anything over 256 KiB, is refused naming the file and why.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { tempDir } from "../../test/support/temp.js";
import { hashedAsset, imageKind, LOGO_MAX_BYTES, readLogo } from "./assets.js";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const JPEG = Buffer.from("ffd8ffe000104a464946", "hex");
const WEBP = Buffer.concat([Buffer.from("RIFF"), Buffer.from([0x24, 0, 0, 0]), Buffer.from("WEBPVP8 ")]);
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>';

test("images are recognised by their first bytes, whatever the file is called", () => {
  assert.deepEqual(imageKind(PNG), { ext: "png", type: "image/png" });
  assert.deepEqual(imageKind(JPEG), { ext: "jpg", type: "image/jpeg" });
  assert.deepEqual(imageKind(WEBP), { ext: "webp", type: "image/webp" });
  assert.deepEqual(imageKind(Buffer.from(SVG)), { ext: "svg", type: "image/svg+xml" });
  const prolog = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\n<!-- Acme -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${SVG}`;
  assert.equal(imageKind(Buffer.from(prolog))?.ext, "svg");
  for (const other of [
    Buffer.from("GIF89a"),
    Buffer.from("<html><svg></svg></html>"),
    Buffer.from("<svgx/>"),
    Buffer.from("RIFF\0\0\0\0WAVEfmt "),
    Buffer.from("%PDF-1.7"),
    Buffer.from([0xff, 0xd8]),
    Buffer.alloc(0),
  ]) {
    assert.equal(imageKind(other), null, other.toString("latin1"));
  }
});

test("a logo becomes logo.<12 hex of sha256>.<ext> with its type and integrity", () => {
  using dir = tempDir("onetime-logo-");
  const path = join(dir.path, "acme.png.txt");
  writeFileSync(path, SVG);
  const logo = readLogo(path);
  assert.ok(typeof logo !== "string", String(logo));
  const sha256 = createHash("sha256").update(SVG).digest("hex");
  assert.equal(logo.hashedName, `logo.${sha256.slice(0, 12)}.svg`);
  assert.equal(logo.type, "image/svg+xml");
  assert.equal(logo.body.toString(), SVG);
  assert.equal(logo.integrity, `sha384-${createHash("sha384").update(SVG).digest("base64")}`);
  assert.deepEqual(hashedAsset("logo", "svg", "image/svg+xml", Buffer.from(SVG)), logo);
});

test("a logo that is not an image, too large, or missing is refused, naming the file and why", () => {
  using dir = tempDir("onetime-logo-");
  const gif = join(dir.path, "acme.gif");
  writeFileSync(gif, "GIF89a....");
  assert.equal(readLogo(gif), `${gif} is not a PNG, WebP, JPEG or SVG image (by its content)`);
  const big = join(dir.path, "big.png");
  writeFileSync(big, Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES + 1 - PNG.length)]));
  assert.equal(readLogo(big), `${big} is 257 KiB; a logo must be at most 256 KiB`);
  const exact = join(dir.path, "exact.png");
  writeFileSync(exact, Buffer.concat([PNG, Buffer.alloc(LOGO_MAX_BYTES - PNG.length)]));
  assert.equal((readLogo(exact) as { type: string }).type, "image/png");
  const missing = join(dir.path, "missing.svg");
  assert.equal(readLogo(missing), `cannot read ${missing} (ENOENT)`);
  assert.equal(readLogo(dir.path), `cannot read ${dir.path} (EISDIR)`);
});
