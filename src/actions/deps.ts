import type { FastifyBaseLogger } from "fastify";
import type { Branding } from "../branding/brand.js";
import type { Config } from "../config.js";
import type { Vault } from "../crypto/vault.js";
import type { WebKeys } from "../crypto/web-keys.js";
import type { I18n } from "../i18n/i18n.js";
import type { Metrics } from "../metrics.js";
import type { Store } from "../store/types.js";
import type { CheckWaits } from "./check-waits.js";
import type { DailyTally } from "./daily-counts.js";
import type { HashQueue } from "./hash-queue.js";

/** What every action receives: built once per process (src/server/runtime.ts), never a module-level singleton. */
export interface Deps {
  config: Config;
  store: Store;
  /** The vault of the current SECRET: everything new is made under it. */
  vault: Vault;
  /** Vaults of SECRET_PREVIOUS, newest first: older rows still open with them. */
  previousVaults?: Vault[];
  now: () => number;
  log: FastifyBaseLogger;
  /** Per-app counters (src/metrics.ts); absent when METRICS_ENABLED=false. */
  metrics?: Metrics;
  /** The admin pages' counts of the day, tallied in memory and added to the store in batches. */
  daily: DailyTally;
  /** Keys for the web pages' CSRF tokens and one-shot notes, and for queued mail. */
  webKeys: WebKeys;
  /** Message catalogues, for the pages and the mails. */
  i18n: I18n;
  /** Wakes the guesses that wait for a passphrase or password check to end in this process. */
  checkWaits: CheckWaits;
  /** The fair, bounded queue every argon2 run goes through (ARGON2_*). */
  hashQueue: HashQueue;
  /** Wakes this process's webhook worker when an event is queued (server/webhook-worker.ts). */
  webhookWake?: () => void;
  /** BRAND_FILE's name, logo, colours and texts (branding/brand.ts); absent: DEFAULT_BRANDING. */
  branding?: Branding;
}

export interface Account {
  id: string;
  email: string;
  /** The account's list key, unwrapped with the caller's API token (null if it cannot be). */
  listKey: Buffer | null;
}

/** Who is asking: the client address (as the trusted-proxy setting decides) and the account, if any. */
export interface Caller {
  ip: string;
  account: Account | null;
}
