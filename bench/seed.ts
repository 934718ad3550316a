import { createWriteStream, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pathToFileURL } from "node:url";
import type { conceal as Conceal } from "../src/actions/create.js";
import type { Caller } from "../src/actions/deps.js";
import type { createRuntime as CreateRuntime, Runtime } from "../src/server/runtime.js";

// Seeding through the real code path, minus HTTP: the same conceal action, vault and store the
// server uses — loaded from the very build under test — on the server's own DATA_DIR or Redis, so
// every seeded row is a real secret.

const CALLER: Caller = { ip: "127.0.0.1", account: null };
const silent = new Writable({ write: (_chunk, _enc, done) => done() });

export interface Seeder {
  /** Creates `count` secrets; writes their secret keys (or metadata keys) to `keysFile`, one a line. */
  seed(count: number, options?: SeedOptions): Promise<void>;
  runtime: Runtime;
  close(): Promise<void>;
}

export interface SeedOptions {
  keysFile?: string;
  which?: "secret" | "metadata";
  ttl?: number;
  passphrase?: string;
  /** Make the rows as if created this many ms ago (already expired rows for the sweeper run). */
  agoMs?: number;
  /** Seed client-encrypted secrets holding this blob (the zk-reveal scenario); plaintext ones otherwise. */
  client?: { blob: Uint8Array; proof: Uint8Array; kdf: null; hasFile: false };
  /** Secrets in flight at once (Redis round trips overlap; SQLite is synchronous anyway). */
  concurrency?: number;
  onProgress?: (done: number) => void;
}

export async function openSeeder(env: Record<string, string>, serverDir: string): Promise<Seeder> {
  const load = (path: string) => import(pathToFileURL(join(serverDir, "dist", path)).href);
  // dist/server/runtime.js since the composition root has its folder; dist/runtime.js in older builds.
  const { createRuntime } = (await load("server/runtime.js").catch(() => load("runtime.js"))) as {
    createRuntime: typeof CreateRuntime;
  };
  const { conceal } = (await load("actions/create.js")) as { conceal: typeof Conceal };
  const runtime = await createRuntime({ env: { ...env, LOG_LEVEL: "warn" }, logStream: silent });
  return {
    runtime,
    close: () => runtime.close(),
    async seed(count, options = {}) {
      const {
        keysFile,
        which = "secret",
        ttl = 86400,
        passphrase,
        agoMs = 0,
        concurrency = 32,
        client,
      } = options;
      const deps = { ...runtime.deps, now: () => Date.now() - agoMs, metrics: undefined };
      const out = keysFile === undefined ? null : createWriteStream(keysFile);
      const input =
        client === undefined
          ? { secret: "s".repeat(48), ttl, passphrase, recipients: [] }
          : { client, ttl, recipients: [] };
      let made = 0;
      while (made < count) {
        const n = Math.min(concurrency, count - made);
        const views = await Promise.all(Array.from({ length: n }, () => conceal(deps, CALLER, input)));
        if (out !== null) {
          const lines = views.map((v) => (which === "secret" ? v.secretKey : v.metadataKey));
          if (!out.write(`${lines.join("\n")}\n`))
            await new Promise<void>((r) => out.once("drain", () => r()));
        }
        made += n;
        if (made % 50_000 < n) options.onProgress?.(made);
      }
      if (out !== null) await new Promise<void>((resolve) => out.end(resolve));
      else if (keysFile !== undefined) writeFileSync(keysFile, "");
    },
  };
}
