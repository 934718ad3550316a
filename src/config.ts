// The only reader of process.env. Every option is parsed and validated once, at start-up; every
// problem is collected so that the operator sees all of them at once, one line each.

import { type AbuseConfig, abuseConfig } from "./config-abuse.js";
import { type AccessConfig, accessConfig } from "./config-access.js";
import { type AdminConfig, adminConfig } from "./config-admin.js";
import { type ConnectionConfig, connectionConfig } from "./config-connections.js";
import { type FilesConfig, filesConfig } from "./config-files.js";
import { type MailConfig, mailConfig } from "./config-mail.js";
import { type SsoConfig, ssoConfig } from "./config-oidc.js";
import { type RateLimitConfig, rateLimitConfig } from "./config-rate-limit.js";
import { type Env, listenAddress, Reader } from "./config-reader.js";
import { type ViewsConfig, viewsConfig } from "./config-views.js";
import { type WebhooksConfig, webhooksConfig } from "./config-webhooks.js";
import { zeroKnowledgeConfig } from "./config-zk.js";
import { isLinkHost } from "./domain/links.js";
import { DEFAULT_PASSWORD_RULES } from "./domain/password.js";
import { availableLocales } from "./i18n/catalogues.js";

export type { AdminConfig } from "./config-admin.js";
export type { MailConfig, SmtpConfig } from "./config-mail.js";
export type { OidcConfig, SsoConfig } from "./config-oidc.js";
export type { RateLimitConfig } from "./config-rate-limit.js";
export { ConfigError } from "./config-reader.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
/** `auto` (LOG_FORMAT unset): pretty when stdout is a terminal, JSON lines otherwise. */
export type LogFormat = "pretty" | "json" | "auto";

export interface PasswordGenConfig {
  length: number;
  maxLength: number;
  uppercase: boolean;
  lowercase: boolean;
  numbers: boolean;
  symbols: boolean;
  excludeAmbiguous: boolean;
}

export interface WebAuthConfig {
  /** AUTH_SIGNUP: anyone may create an account on the web. */
  signup: boolean;
  /** CREATE_POLICY=signed-in (or AUTH_REQUIRED=true): only signed-in users may create secrets. */
  required: boolean;
  /** AUTH_AUTOVERIFY: new accounts need not confirm their address by mail. */
  autoverify: boolean;
  /** ALLOWED_SIGNUP_DOMAIN: sign-up only for these mail domains (empty: any). */
  allowedDomains: string[];
  /** Minimum password length in characters. */
  passwordMinLength: number;
  /** How long a web session lasts, in seconds. */
  sessionTtlSeconds: number;
}

export interface Config {
  port: number;
  bindAddress: string;
  /**
   * Public host used in links, e.g. `secrets.example.com` or `localhost:3000`. Null when HOST is
   * unset: links then take each request's host (never in mail: SMTP_HOST requires HOST).
   */
  host: string | null;
  ssl: boolean;
  dataDir: string;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Root key material from SECRET; null means "load or create <dataDir>/secret.key". */
  secret: string | null;
  /** Older root keys (SECRET_PREVIOUS, oldest first, as upstream): rows made under them still open. */
  secretPrevious: string[];
  authEnabled: boolean;
  auth: WebAuthConfig;
  defaultTtl: number;
  ttlOptions: number[];
  ttlMin: number;
  ttlMaxAnonymous: number;
  ttlMax: number;
  /** VIEWS_MAX and VIEWS_MAX_ANONYMOUS: how many times a link may be opened (config-views.ts). */
  views: ViewsConfig;
  secretMaxLength: number;
  /** FILE_MAX_BYTES (config-files.ts). */
  files: FilesConfig;
  passphraseRequired: boolean;
  passphraseMinLength: number;
  passphraseMaxLength: number;
  passwordGen: PasswordGenConfig;
  shareDomains: string[];
  defaultLocale: string;
  rateLimit: RateLimitConfig;
  trustProxy: boolean | string | number;
  sweepIntervalSeconds: number;
  bodyLimit: number;
  /** Redis (or Valkey) URL; null means embedded SQLite under dataDir. */
  redisUrl: string | null;
  /** Redis Cluster seed nodes (`host:port`); empty for a single server. */
  redisClusterNodes: string[];
  redisPrefix: string;
  /** Count for Prometheus (served as METRICS_LISTEN and METRICS_TOKEN say); false counts nothing. */
  metricsEnabled: boolean;
  /** After SIGTERM/SIGINT, seconds to let in-flight requests finish before exiting anyway. */
  shutdownTimeoutSeconds: number;
  /** Server processes on this machine (WORKERS); more than 1 runs a node:cluster primary. */
  workers: number;
  mail: MailConfig;
  /** Account webhooks: allowed hosts, timeouts, retries (config-webhooks.ts). */
  webhooks: WebhooksConfig;

  // --- Store durability ---
  /** SQLITE_SYNCHRONOUS: `full` (default) fsyncs every commit; `normal` may lose the last ones on power loss. */
  sqliteSynchronous: "full" | "normal";

  // --- Metrics exposure ---
  /** METRICS_LISTEN: a second listener, for /metrics only; null: none. */
  metricsListen: { host: string; port: number } | null;
  /** METRICS_TOKEN: the Bearer token /metrics requires; with it, /metrics is on the public port too. */
  metricsToken: string | null;

  // --- Connections ---
  /** Timeouts, the connection cap and the over-long body drain (config-connections.ts). */
  connections: ConnectionConfig;

  // --- Abuse ---
  /** The argon2 queue's bounds, IPv6 client groups, failed Basic auth (config-abuse.ts). */
  abuse: AbuseConfig;

  // --- Zero knowledge ---
  /** ZERO_KNOWLEDGE: client-encrypted secrets accepted (browser), refused (off) or the only kind (required). */
  zeroKnowledge: ReturnType<typeof zeroKnowledgeConfig>;

  /** Admins, their sign-in's freshness, the audit log's retention (config-admin.ts). */
  admin: AdminConfig;
  /** OpenID Connect single sign-on and AUTH_LOCAL (config-oidc.ts). */
  sso: SsoConfig;
  /** CREATE_POLICY and READ_POLICY (config-access.ts). */
  access: AccessConfig;
  /** BRAND_FILE: the operator's name, logo, colours and texts (branding/load.ts reads it); null: none. */
  brandFile: string | null;
}

/** Languages with a catalogue in locales/ (one file each). */
export const SUPPORTED_LOCALES: readonly string[] = availableLocales();
const LOG_LEVELS: LogLevel[] = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
const DEFAULT_TTL_OPTIONS = [60, 300, 1800, 3600, 14400, 43200, 86400, 259200, 604800, 1209600, 2592000];

/** Reads the configuration from `env` (process.env by default). Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env): Config {
  const r = new Reader(env);
  const port = r.int("PORT", 3000, { min: 0, max: 65535 });
  const ttlMin = r.int("TTL_MIN", 60, { min: 1 });
  const ttlMax = r.int("TTL_MAX", 2592000, { min: 1 });
  const ttlMaxAnonymous = r.int("TTL_MAX_ANONYMOUS", r.int("PLAN_TTL_ANONYMOUS", 604800, { min: 1 }), {
    min: 1,
  });
  const passphraseMinLength = r.int("PASSPHRASE_MIN_LENGTH", 0, { min: 0, max: 1024 });
  const passphraseMaxLength = r.int("PASSPHRASE_MAX_LENGTH", 128, { min: 1, max: 1024 });
  const passwordGen: PasswordGenConfig = {
    length: r.int("PASSWORD_GEN_LENGTH", DEFAULT_PASSWORD_RULES.length, { min: 4, max: 1024 }),
    maxLength: r.int("PASSWORD_GEN_MAX_LENGTH", 128, { min: 4, max: 1024 }),
    uppercase: r.bool("PASSWORD_GEN_UPPERCASE", DEFAULT_PASSWORD_RULES.uppercase),
    lowercase: r.bool("PASSWORD_GEN_LOWERCASE", DEFAULT_PASSWORD_RULES.lowercase),
    numbers: r.bool("PASSWORD_GEN_NUMBERS", DEFAULT_PASSWORD_RULES.numbers),
    symbols: r.bool("PASSWORD_GEN_SYMBOLS", DEFAULT_PASSWORD_RULES.symbols),
    excludeAmbiguous: r.bool("PASSWORD_GEN_EXCLUDE_AMBIGUOUS", DEFAULT_PASSWORD_RULES.excludeAmbiguous),
  };
  const secretMaxLength = r.int("SECRET_MAX_LENGTH", 10000, { min: 1, max: 1_000_000 });
  // Form encoding can triple a secret's size; leave room for the other fields.
  const bodyLimit = r.int("BODY_LIMIT", Math.max(65536, secretMaxLength * 3 + 16384), { min: 1024 });
  const access = accessConfig(r);
  const config: Config = {
    port,
    bindAddress: r.str("BIND_ADDRESS", "0.0.0.0"),
    host: r.optionalStr("HOST"),
    ssl: r.bool("SSL", false),
    dataDir: r.str("DATA_DIR", "./data"),
    logLevel: r.oneOf("LOG_LEVEL", "info", LOG_LEVELS),
    logFormat: r.oneOf<LogFormat>("LOG_FORMAT", "auto", ["pretty", "json"]),
    secret: r.optionalStr("SECRET"),
    secretPrevious: r.list("SECRET_PREVIOUS", []),
    authEnabled: r.bool("AUTH_ENABLED", true),
    auth: {
      signup: r.bool("AUTH_SIGNUP", false),
      required: access.create === "signed-in",
      autoverify: r.bool("AUTH_AUTOVERIFY", false),
      allowedDomains: r.list("ALLOWED_SIGNUP_DOMAIN", []).map((d) => d.toLowerCase().replace(/^@/, "")),
      passwordMinLength: r.int("PASSWORD_MIN_LENGTH", 8, { min: 1, max: 128 }),
      sessionTtlSeconds: r.int("SESSION_TTL", 7 * 86400, { min: 300 }),
    },
    defaultTtl: r.int("DEFAULT_TTL", 604800, { min: 1 }),
    ttlOptions: r.intList("TTL_OPTIONS", DEFAULT_TTL_OPTIONS),
    ttlMin,
    ttlMaxAnonymous,
    ttlMax,
    views: viewsConfig(r),
    secretMaxLength,
    files: filesConfig(r),
    passphraseRequired: r.bool("PASSPHRASE_REQUIRED", false),
    passphraseMinLength,
    passphraseMaxLength,
    passwordGen,
    shareDomains: r.list("SHARE_DOMAINS", []).map((d) => d.toLowerCase()),
    defaultLocale: r.oneOf("I18N_DEFAULT_LOCALE", "en", [...SUPPORTED_LOCALES]),
    rateLimit: rateLimitConfig(r),
    trustProxy: r.trustProxy(),
    sweepIntervalSeconds: r.int("SWEEP_INTERVAL", 60, { min: 1 }),
    bodyLimit,
    redisUrl: r.optionalStr("REDIS_URL") ?? r.optionalStr("VALKEY_URL"),
    redisClusterNodes: r.list("REDIS_CLUSTER_NODES", []),
    redisPrefix: r.str("REDIS_PREFIX", "onetime"),
    metricsEnabled: r.bool("METRICS_ENABLED", true),
    shutdownTimeoutSeconds: r.int("SHUTDOWN_TIMEOUT", 10, { min: 1, max: 3600 }),
    workers: r.workers(),
    mail: mailConfig(r),
    webhooks: webhooksConfig(r),

    // --- Store durability ---
    sqliteSynchronous: r.oneOf<"full" | "normal">("SQLITE_SYNCHRONOUS", "full", ["full", "normal"]),

    // --- Metrics exposure ---
    metricsListen: listenAddress(r, "METRICS_LISTEN"),
    metricsToken: r.optionalStr("METRICS_TOKEN"),

    // --- Connections ---
    connections: connectionConfig(r, bodyLimit),

    // --- Abuse ---
    abuse: abuseConfig(r),

    // --- Zero knowledge ---
    zeroKnowledge: zeroKnowledgeConfig(r),
    admin: adminConfig(r),
    sso: ssoConfig(r),
    access,
    brandFile: r.optionalStr("BRAND_FILE"),
  };

  if (config.secret !== null && Buffer.byteLength(config.secret) < 32) {
    r.problem("SECRET must be at least 32 characters (for example: openssl rand -hex 32)");
  }
  if (config.secretPrevious.some((s) => Buffer.byteLength(s) < 32)) {
    r.problem("each key in SECRET_PREVIOUS must be at least 32 characters");
  }
  if (ttlMaxAnonymous > ttlMax) r.problem("TTL_MAX_ANONYMOUS must not be greater than TTL_MAX");
  if (ttlMin > ttlMaxAnonymous) r.problem("TTL_MIN must not be greater than TTL_MAX_ANONYMOUS");
  if (passphraseMinLength > passphraseMaxLength) {
    r.problem("PASSPHRASE_MIN_LENGTH must not be greater than PASSPHRASE_MAX_LENGTH");
  }
  if (passwordGen.length > passwordGen.maxLength) {
    r.problem("PASSWORD_GEN_LENGTH must not be greater than PASSWORD_GEN_MAX_LENGTH");
  }
  if (!passwordGen.uppercase && !passwordGen.lowercase && !passwordGen.numbers && !passwordGen.symbols) {
    r.problem("at least one of PASSWORD_GEN_UPPERCASE, _LOWERCASE, _NUMBERS, _SYMBOLS must be true");
  }
  if (config.redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(config.redisUrl)) {
    r.problem("REDIS_URL must be a redis:// or rediss:// URL, e.g. redis://:password@127.0.0.1:6379/0");
  }
  if (config.redisClusterNodes.some((n) => !/^[A-Za-z0-9.:[\]-]+:\d{1,5}$/.test(n))) {
    r.problem("REDIS_CLUSTER_NODES must be host:port entries separated by commas");
  }
  if ((config.redisUrl !== null || config.redisClusterNodes.length > 0) && config.secret === null) {
    r.problem("SECRET is required with REDIS_URL or REDIS_CLUSTER_NODES: every node must share one root key");
  }
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(config.redisPrefix)) {
    r.problem("REDIS_PREFIX must be 1–64 letters, digits, '_', '.' or '-'");
  }
  if (config.host !== null && !isLinkHost(config.host)) {
    r.problem(
      `HOST must be a host name with an optional port, like secrets.example.com (got "${config.host}")`,
    );
  }
  if (config.host === null && config.mail.smtp !== null) {
    // Without HOST, links follow the request's Host header, which a client chooses: a mail must not.
    r.problem("SMTP_HOST needs HOST: mailed links must name this site, e.g. HOST=secrets.example.com");
  }
  if (config.auth.signup && !config.auth.autoverify && config.mail.smtp === null) {
    r.problem("AUTH_SIGNUP=true sends confirmation mail: set SMTP_HOST, or AUTH_AUTOVERIFY=true");
  }
  if ((config.auth.signup || config.auth.required) && !config.authEnabled) {
    r.problem("AUTH_SIGNUP and AUTH_REQUIRED need AUTH_ENABLED=true");
  }
  if (config.metricsToken !== null && !/^[\x21-\x7e]{16,}$/.test(config.metricsToken)) {
    r.problem("METRICS_TOKEN must be at least 16 printable characters without spaces (openssl rand -hex 32)");
  }
  if (config.admin.emails.length > 0 && !config.authEnabled)
    r.problem("ADMIN_EMAILS needs AUTH_ENABLED=true");
  if (config.sso.oidc !== null && (!config.authEnabled || config.host === null))
    r.problem("OIDC_ISSUER needs AUTH_ENABLED=true and HOST (the provider sends users back to HOST)");
  if (access.read === "signed-in" && !config.authEnabled)
    r.problem("READ_POLICY=signed-in needs AUTH_ENABLED=true");
  if (!config.sso.local && config.auth.signup) r.problem("AUTH_SIGNUP=true needs AUTH_LOCAL=true");
  r.done();
  return config;
}
