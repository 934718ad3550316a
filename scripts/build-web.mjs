// Builds the pages' assets into dist/public: web/app.ts bundled and minified by esbuild, web/app.css
// minified, web/icon.svg copied. Each file name carries a hash of its content, so the server can
// tell browsers to cache it for a year; manifest.json maps logical names to hashed ones.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "dist", "public");

async function bundle(entry, options = {}) {
  const result = await build({
    entryPoints: [join(root, "web", entry)],
    bundle: true,
    minify: true,
    write: false,
    legalComments: "none",
    logLevel: "warning",
    ...options,
  });
  return Buffer.from(result.outputFiles[0].contents);
}

const files = {
  "app.js": await bundle("app.ts", { format: "iife", target: "es2020" }),
  "app.css": await bundle("app.css", { target: ["chrome100", "firefox100", "safari15"] }),
  "icon.svg": readFileSync(join(root, "web", "icon.svg")),
};

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const manifest = {};
for (const [name, body] of Object.entries(files)) {
  const hash = createHash("sha256").update(body).digest("hex").slice(0, 12);
  const dot = name.lastIndexOf(".");
  const hashed = `${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
  writeFileSync(join(out, hashed), body);
  manifest[name] = hashed;
}
writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(
  Object.entries(manifest)
    .map(([name, hashed]) => `${hashed} ${files[name].length} B`)
    .join("\n"),
);
