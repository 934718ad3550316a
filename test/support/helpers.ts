// Shared test harness: a real app on a real SQLite store in a fresh temporary data directory,
// called in process with app.inject(), with every log line captured for inspection.
import { rmSync } from "node:fs";
import { Writable } from "node:stream";
import type { FastifyInstance, InjectOptions } from "fastify";
import { createAccount } from "../../src/actions/create-account.js";
import type { Deps } from "../../src/actions/deps.js";
import type { Branding } from "../../src/branding/brand.js";
import { buildApp } from "../../src/server/app.js";
import { createRuntime } from "../../src/server/runtime.js";
import { tempDir } from "./temp.js";

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  dataDir: string;
  /** Every log line written so far, raw. */
  logs: string[];
  close(): Promise<void>;
}

export const TEST_SECRET = "test-root-secret-0123456789abcdef0123456789abcdef";

/**
 * A fresh app. `env` adds to (or overrides) a quiet test configuration with rate limits on. Its
 * data directory is a new temporary one, or `env.DATA_DIR` (a second app taking over a first's
 * directory); close() removes it either way. Its SQLite store runs without an fsync per commit
 * (SQLITE_SYNCHRONOUS=normal): these apps test answers, not power losses (sqlite-durability.test.ts,
 * crash.test.ts); `env` can set `full` again.
 */
export async function makeTestApp(
  env: Record<string, string> = {},
  {
    localesDir,
    branding,
  }: { localesDir?: string /** In place of the runtime's. */; branding?: Branding } = {},
): Promise<TestApp> {
  const dataDir = env.DATA_DIR ?? tempDir("onetime-test-").path;
  const remove = () => rmSync(dataDir, { recursive: true, force: true });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const runtime = await createRuntime({
    env: {
      DATA_DIR: dataDir,
      SECRET: TEST_SECRET,
      LOG_LEVEL: "debug",
      HOST: "localhost:3000",
      SQLITE_SYNCHRONOUS: "normal",
      ...env,
    },
    logStream,
    localesDir,
  }).catch((err: unknown) => {
    remove();
    throw err;
  });
  const deps = branding === undefined ? runtime.deps : { ...runtime.deps, branding };
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    dataDir,
    logs,
    async close() {
      await app.close();
      await runtime.close();
      remove();
    },
  };
}

/** Creates an account and returns its email, token and ready-made Authorization header. */
export async function makeAccount(deps: Deps, email = "alice@example.com") {
  const token = await createAccount(deps, email);
  return { email, token, authorization: basic(email, token) };
}

export function basic(user: string, token: string): string {
  return `Basic ${Buffer.from(`${user}:${token}`).toString("base64")}`;
}

/** POST a urlencoded form to a v1 path. */
export function postForm(
  app: FastifyInstance,
  path: string,
  form: Record<string, string | string[]> = {},
  headers: Record<string, string> = {},
) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form))
    for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
  const options: InjectOptions = {
    method: "POST",
    url: `/api/v1${path}`,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    payload: body.toString(),
  };
  return app.inject(options);
}

export async function share(app: FastifyInstance, form: Record<string, string | string[]>, headers = {}) {
  const res = await postForm(app, "/share", form, headers);
  if (res.statusCode !== 200) throw new Error(`share failed: ${res.statusCode} ${res.body}`);
  return res.json() as { secret_key: string; metadata_key: string } & Record<string, unknown>;
}
