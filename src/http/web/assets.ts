import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// The pages' CSS, script and icon, built by scripts/build-web.mjs into dist/public with content
// hashes in their names. They are read once at start-up and served from memory; a hashed name never
// changes content, so browsers may keep it for a year.

export interface Asset {
  body: Buffer;
  type: string;
}

export interface Assets {
  /** The public URL of a logical asset ("app.css" → "/assets/app.1a2b3c4d5e6f.css"). */
  url(name: "app.css" | "app.js" | "icon.svg"): string;
  /** Its Subresource Integrity value ("sha384-…"): the browser runs or applies nothing else. */
  integrity(name: "app.css" | "app.js"): string;
  get(hashedName: string): Asset | null;
}

/** src/http/web and dist/http/web are both three levels below the project root. */
const PUBLIC_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "dist", "public");

const TYPES: Record<string, string> = {
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  svg: "image/svg+xml",
};

export function loadAssets(dir = PUBLIC_DIR): Assets {
  let manifest: Record<string, string>;
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  } catch {
    throw new Error(`the web assets are not built (${dir}/manifest.json is missing): run npm run build`);
  }
  const files = new Map<string, Asset>();
  for (const hashed of Object.values(manifest)) {
    const ext = hashed.slice(hashed.lastIndexOf(".") + 1);
    files.set(hashed, {
      body: readFileSync(join(dir, hashed)),
      type: TYPES[ext] ?? "application/octet-stream",
    });
  }
  const integrity = (name: string): string => {
    const file = files.get(manifest[name] ?? "");
    if (file === undefined) throw new Error(`asset ${name} is not in the manifest`);
    return `sha384-${createHash("sha384").update(file.body).digest("base64")}`;
  };
  const integrities = new Map(["app.css", "app.js"].map((name) => [name, integrity(name)]));
  return {
    integrity: (name) => integrities.get(name) as string,
    url(name) {
      const hashed = manifest[name];
      if (hashed === undefined) throw new Error(`asset ${name} is not in the manifest`);
      return `/assets/${hashed}`;
    },
    get: (hashedName) => files.get(hashedName) ?? null,
  };
}
