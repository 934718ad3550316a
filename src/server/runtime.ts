import type { DestinationStream } from "pino";
import { CheckWaits } from "../actions/check-waits.js";
import { DailyTally } from "../actions/daily-counts.js";
import type { Deps } from "../actions/deps.js";
import { HashQueue } from "../actions/hash-queue.js";
import type { Branding } from "../branding/brand.js";
import { loadBranding } from "../branding/load.js";
import { type Config, loadConfig } from "../config.js";
import { deriveServerKeys } from "../crypto/keys.js";
import { loadRootSecret, type RootSecret } from "../crypto/root-secret.js";
import { createVault } from "../crypto/vault.js";
import { deriveWebKeys } from "../crypto/web-keys.js";
import { catalogueProblems, loadCatalogues } from "../i18n/catalogues.js";
import { createI18n } from "../i18n/i18n.js";
import { countStoreErrors, createMetrics } from "../metrics.js";
import { openStore } from "../store/open.js";
import { describeRedisError } from "../store/redis-errors.js";
import { widelyReadable } from "./data-files.js";
import { createLogger } from "./log.js";

export interface Runtime {
  deps: Deps;
  root: RootSecret;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  env?: Record<string, string | undefined>;
  /** Where log lines go (stdout by default); tests capture them here. */
  logStream?: DestinationStream;
  config?: Config;
  /** False: fail instead of generating <dataDir>/secret.key when it is missing (the CLI without --init). */
  createRootKey?: boolean;
  /** The catalogues' folder (locales/ of the package by default); tests add languages in a copy. */
  localesDir?: string;
  /** BRAND_FILE already read (serve() checks it before forking workers); read from config otherwise. */
  branding?: Branding;
}

/** Everything the server and the CLI share: configuration, root key, store, vault, logger, metrics. */
export async function createRuntime({
  env,
  logStream,
  config = loadConfig(env),
  createRootKey = true,
  localesDir,
  branding = loadBranding(config, { localesDir }),
}: RuntimeOptions = {}): Promise<Runtime> {
  const log = createLogger(config, { destination: logStream });
  if (config.brandFile !== null) {
    log.info({ brandFile: config.brandFile, notes: branding.notes }, "branding loaded");
  }
  const root = loadRootSecret(config.secret, config.dataDir, { create: createRootKey });
  // Connection errors are logged by code (and a reason for those an operator must act on), never
  // with the error's own text; the client reconnects by itself.
  const opened = await openStore(config, (err) =>
    log.warn({ store: "redis", ...describeRedisError(err) }, "store connection error"),
  );
  const loose = widelyReadable(config.dataDir, opened.name, root);
  if (loose.length > 0) {
    log.warn(
      { dataDir: config.dataDir, loose },
      "other users of this machine may read the data directory: chmod 700 it and chmod 600 the files named",
    );
  }
  const metrics = config.metricsEnabled ? createMetrics() : undefined;
  const store = metrics === undefined ? opened : countStoreErrors(opened, metrics);
  // The day's counts for the admin pages (actions/daily-counts.ts): counted in memory, added to the
  // store every few seconds and when the runtime closes.
  const daily = new DailyTally(store, (err) =>
    log.warn({ errType: (err as Error).name }, "daily counts not recorded; kept for the next try"),
  );
  daily.start();
  const vault = createVault(deriveServerKeys(root.key));
  // SECRET_PREVIOUS lists keys oldest first; the newest previous key is tried first.
  const previousVaults = config.secretPrevious
    .map((s) => createVault(deriveServerKeys(Buffer.from(s))))
    .reverse();
  const catalogues = loadCatalogues(localesDir);
  // An incomplete translation still works (its missing messages are shown in English); say so.
  for (const problem of catalogueProblems(catalogues)) log.warn({ problem }, "locale catalogue");
  const deps: Deps = {
    config,
    store,
    vault,
    previousVaults,
    now: Date.now,
    log,
    metrics,
    webKeys: deriveWebKeys(root.key),
    i18n: createI18n({ catalogues, defaultLocale: config.defaultLocale }),
    daily,
    checkWaits: new CheckWaits(),
    hashQueue: new HashQueue({
      concurrency: config.abuse.argon2Concurrency,
      max: config.abuse.argon2QueueMax,
      // RATE_LIMIT_ENABLED=false (benchmarks, trusted networks) lifts the per-client share too.
      perClient: config.rateLimit.enabled ? config.abuse.argon2QueuePerClient : config.abuse.argon2QueueMax,
    }),
    branding,
  };
  const close = async () => {
    const lost = await daily.stop();
    if (lost > 0) log.warn({ lost }, "daily counts not recorded at shutdown");
    await store.close();
  };
  return { deps, root, close };
}
