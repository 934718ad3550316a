// The actions called directly, as every surface calls them: the runtime the server builds on a fresh
// SQLite data directory with a manual clock, a signed-in caller, and the rows the database holds.
import { join } from "node:path";
import type { TestContext } from "node:test";
import Database from "better-sqlite3";
import { authenticate } from "../../src/actions/authenticate.js";
import { createAccount } from "../../src/actions/create-account.js";
import type { Caller, Deps } from "../../src/actions/deps.js";
import { createRuntime } from "../../src/server/runtime.js";
import { DATABASE_FILE } from "../../src/store/sqlite.js";
import { createClock, type ManualClock } from "./clock.js";
import { basic, TEST_SECRET } from "./helpers.js";
import { tempDir } from "./temp.js";

/**
 * The server's own dependencies on a fresh data directory (closed and removed after the test),
 * every clock read going to `clock`; `env` adds to a quiet configuration.
 */
export async function actionsRuntime(
  t: TestContext,
  env: Record<string, string> = {},
): Promise<{ deps: Deps; clock: ManualClock; dataDir: string }> {
  const dir = tempDir("onetime-actions-");
  const runtime = await createRuntime({
    env: { DATA_DIR: dir.path, SECRET: TEST_SECRET, LOG_LEVEL: "silent", ...env },
  });
  t.after(async () => {
    await runtime.close();
    dir.remove();
  });
  const clock = createClock();
  return { deps: { ...runtime.deps, now: clock.now }, clock, dataDir: dir.path };
}

/** A new account, signed in from `ip` with its API token, as authenticate() hands it to the actions. */
export async function signedIn(deps: Deps, email: string, ip = "198.51.100.1"): Promise<Caller> {
  const token = await createAccount(deps, email);
  return { ip, account: await authenticate(deps, { ip }, basic(email, token)) };
}

/** Secret and receipt rows in a data directory's database, counted through a connection of its own. */
export function secretRows(dataDir: string): { secrets: number; receipts: number } {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { secrets: count("secrets"), receipts: count("receipts") };
  } finally {
    db.close();
  }
}
