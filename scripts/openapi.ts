// `npm run openapi` (and the end of `npm run build`): writes docs/openapi.json, the OpenAPI document
// of API v2 exactly as the server serves it at /api/v2/openapi.json (test/v2-openapi.test.ts fails
// when the two differ). The server is built in memory on a throw-away data directory; nothing listens.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { buildApp } from "../src/server/app.js";
import { createRuntime } from "../src/server/runtime.js";

export const OPENAPI_PATH = fileURLToPath(new URL("../docs/openapi.json", import.meta.url));

/** The document as the file holds it: two-space JSON and a final newline. */
export function formatDocument(doc: unknown): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "onetime-openapi-"));
  try {
    const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
    const runtime = await createRuntime({
      env: { DATA_DIR: dataDir, SECRET: "openapi-document-only-0123456789abcdef0123456789" },
      logStream: quiet,
    });
    const app = await buildApp(runtime.deps);
    const res = await app.inject({ method: "GET", url: "/api/v2/openapi.json" });
    await app.close();
    await runtime.close();
    if (res.statusCode !== 200) throw new Error(`GET /api/v2/openapi.json answered ${res.statusCode}`);
    // A build without the docs (the Docker image's) still writes it, for the record.
    mkdirSync(dirname(OPENAPI_PATH), { recursive: true });
    writeFileSync(OPENAPI_PATH, formatDocument(res.json()));
    console.log(`wrote ${OPENAPI_PATH}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
