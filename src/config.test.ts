import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { compiled } from "../test/support/compiled.js";
import { tempDir } from "../test/support/temp.js";
import { ConfigError, loadConfig } from "./config.js";

const SECRET = "a-root-secret-of-at-least-32-characters-0123";

/** The problems loadConfig reports for `env`, or [] when it accepts it. */
function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    return err.problems;
  }
}

test("an empty environment gives the documented defaults", () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.bindAddress, "0.0.0.0");
  assert.equal(c.host, null, "links follow each request's host");
  assert.equal(c.ssl, false);
  assert.equal(c.dataDir, "./data");
  assert.equal(c.logLevel, "info");
  assert.equal(c.logFormat, "auto");
  assert.equal(c.secret, null);
  assert.equal(c.authEnabled, true);
  assert.equal(c.defaultTtl, 604800);
  assert.deepEqual(
    c.ttlOptions,
    [60, 300, 1800, 3600, 14400, 43200, 86400, 259200, 604800, 1209600, 2592000],
  );
  assert.equal(c.ttlMin, 60);
  assert.equal(c.ttlMaxAnonymous, 604800);
  assert.equal(c.ttlMax, 2592000);
  assert.equal(c.secretMaxLength, 10000);
  assert.equal(c.passphraseRequired, false);
  assert.equal(c.passphraseMinLength, 0);
  assert.equal(c.passphraseMaxLength, 128);
  assert.deepEqual(c.passwordGen, {
    length: 12,
    maxLength: 128,
    uppercase: true,
    lowercase: true,
    numbers: true,
    symbols: true,
    excludeAmbiguous: true,
  });
  assert.deepEqual(c.shareDomains, []);
  assert.equal(c.defaultLocale, "en");
  assert.deepEqual(c.rateLimit, {
    enabled: true,
    windowSeconds: 1200,
    create: 1000,
    reveal: 1000,
    metadata: 1000,
    burn: 1000,
    status: 10000,
    signup: 10,
    signin: 20,
    signinPerAccount: 10,
    passphrasePerIp: 5,
    passphraseTotal: 20,
    passphraseWindowSeconds: 600,
    passphraseLockSeconds: 1800,
  });
  assert.equal(c.trustProxy, false);
  assert.equal(c.sweepIntervalSeconds, 60);
  assert.equal(c.bodyLimit, 65536);
});

test("blank values count as unset", () => {
  assert.deepEqual(loadConfig({ PORT: "", SSL: "  ", SECRET: "" }), loadConfig({}));
});

test("FILE_MAX_BYTES: 5 MiB by default, read as a whole number of bytes, bounded", () => {
  assert.deepEqual(loadConfig({}).files, { maxBytes: 5242880 });
  assert.deepEqual(loadConfig({ FILE_MAX_BYTES: "1024" }).files, { maxBytes: 1024 });
  assert.deepEqual(problems({ FILE_MAX_BYTES: "0" }), [
    "FILE_MAX_BYTES must be between 1 and 67108864 (got 0)",
  ]);
  assert.equal(problems({ FILE_MAX_BYTES: "5M" }).length, 1);
  assert.equal(problems({ FILE_MAX_BYTES: "67108865" }).length, 1);
});

test("every option is read from its variable", () => {
  const c = loadConfig({
    PORT: " 8080 ",
    BIND_ADDRESS: "127.0.0.1",
    HOST: "secrets.example.com",
    SSL: "yes",
    DATA_DIR: "/var/lib/onetime",
    LOG_LEVEL: "debug",
    LOG_FORMAT: "json",
    SECRET,
    AUTH_ENABLED: "off",
    DEFAULT_TTL: "3600",
    TTL_OPTIONS: "3600, 60 3600,300",
    TTL_MIN: "30",
    TTL_MAX: "5000000",
    TTL_MAX_ANONYMOUS: "86400",
    SECRET_MAX_LENGTH: "20000",
    PASSPHRASE_REQUIRED: "1",
    PASSPHRASE_MIN_LENGTH: "8",
    PASSPHRASE_MAX_LENGTH: "64",
    PASSWORD_GEN_LENGTH: "20",
    PASSWORD_GEN_MAX_LENGTH: "40",
    PASSWORD_GEN_UPPERCASE: "false",
    PASSWORD_GEN_LOWERCASE: "TRUE",
    PASSWORD_GEN_NUMBERS: "0",
    PASSWORD_GEN_SYMBOLS: "no",
    PASSWORD_GEN_EXCLUDE_AMBIGUOUS: "off",
    SHARE_DOMAINS: "Links.Example.com, other.example.org",
    I18N_DEFAULT_LOCALE: "fr",
    RATE_LIMIT_ENABLED: "false",
    RATE_LIMIT_WINDOW: "60",
    RATE_LIMIT_CREATE: "11",
    RATE_LIMIT_REVEAL: "12",
    RATE_LIMIT_METADATA: "13",
    RATE_LIMIT_BURN: "14",
    RATE_LIMIT_STATUS: "15",
    RATE_LIMIT_SIGNUP: "16",
    RATE_LIMIT_SIGNIN: "17",
    SIGNIN_ATTEMPTS_PER_ACCOUNT: "18",
    PASSPHRASE_ATTEMPTS_PER_IP: "3",
    PASSPHRASE_ATTEMPTS_TOTAL: "9",
    PASSPHRASE_ATTEMPTS_WINDOW: "120",
    PASSPHRASE_LOCKOUT: "240",
    TRUSTED_PROXY_ENABLED: "true",
    TRUSTED_PROXY_CIDRS: "10.0.0.0/8, 127.0.0.1 ::1",
    SWEEP_INTERVAL: "5",
    BODY_LIMIT: "100000",
  });
  assert.equal(c.port, 8080);
  assert.equal(c.bindAddress, "127.0.0.1");
  assert.equal(c.host, "secrets.example.com");
  assert.equal(c.ssl, true);
  assert.equal(c.dataDir, "/var/lib/onetime");
  assert.equal(c.logLevel, "debug");
  assert.equal(c.logFormat, "json");
  assert.equal(c.secret, SECRET);
  assert.equal(c.authEnabled, false);
  assert.equal(c.defaultTtl, 3600);
  assert.deepEqual(c.ttlOptions, [60, 300, 3600]);
  assert.equal(c.ttlMin, 30);
  assert.equal(c.ttlMax, 5000000);
  assert.equal(c.ttlMaxAnonymous, 86400);
  assert.equal(c.secretMaxLength, 20000);
  assert.equal(c.passphraseRequired, true);
  assert.equal(c.passphraseMinLength, 8);
  assert.equal(c.passphraseMaxLength, 64);
  assert.deepEqual(c.passwordGen, {
    length: 20,
    maxLength: 40,
    uppercase: false,
    lowercase: true,
    numbers: false,
    symbols: false,
    excludeAmbiguous: false,
  });
  assert.deepEqual(c.shareDomains, ["links.example.com", "other.example.org"]);
  assert.equal(c.defaultLocale, "fr");
  assert.deepEqual(c.rateLimit, {
    enabled: false,
    windowSeconds: 60,
    create: 11,
    reveal: 12,
    metadata: 13,
    burn: 14,
    status: 15,
    signup: 16,
    signin: 17,
    signinPerAccount: 18,
    passphrasePerIp: 3,
    passphraseTotal: 9,
    passphraseWindowSeconds: 120,
    passphraseLockSeconds: 240,
  });
  assert.equal(c.trustProxy, "10.0.0.0/8,127.0.0.1,::1");
  assert.equal(c.sweepIntervalSeconds, 5);
  assert.equal(c.bodyLimit, 100000);
});

test("derived defaults follow the options they depend on", () => {
  assert.equal(loadConfig({ PORT: "4000" }).host, null);
  assert.equal(loadConfig({ HOST: "[::1]:4000" }).host, "[::1]:4000");
  assert.equal(loadConfig({ PLAN_TTL_ANONYMOUS: "7200" }).ttlMaxAnonymous, 7200);
  assert.equal(loadConfig({ PLAN_TTL_ANONYMOUS: "7200", TTL_MAX_ANONYMOUS: "3600" }).ttlMaxAnonymous, 3600);
  // Form encoding can triple a secret: the body limit grows with the secret limit.
  assert.equal(loadConfig({ SECRET_MAX_LENGTH: "100000" }).bodyLimit, 316384);
  assert.equal(loadConfig({ TRUSTED_PROXY_ENABLED: "true", TRUSTED_PROXY_DEPTH: "2" }).trustProxy, 2);
  assert.equal(loadConfig({ TRUSTED_PROXY_CIDRS: "10.0.0.0/8" }).trustProxy, false);
});

test("each invalid value is named in one line of its own", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ PORT: "abc" }, /^PORT must be a whole number \(got "abc"\)$/],
    [{ PORT: "70000" }, /^PORT must be between 0 and 65535 \(got 70000\)$/],
    [{ PORT: "80.5" }, /^PORT must be a whole number/],
    [{ SSL: "maybe" }, /^SSL must be true or false \(got "maybe"\)$/],
    [{ TTL_OPTIONS: "1 x" }, /^TTL_OPTIONS must be positive whole numbers .*\(got "1 x"\)$/],
    [{ TTL_OPTIONS: "0 60" }, /^TTL_OPTIONS must be positive whole numbers/],
    [{ SECRET: "too-short" }, /^SECRET must be at least 32 characters/],
    [{ LOG_LEVEL: "loud" }, /^LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent/],
    [{ TTL_MAX_ANONYMOUS: "5000000" }, /^TTL_MAX_ANONYMOUS must not be greater than TTL_MAX$/],
    [{ TTL_MIN: "700000" }, /^TTL_MIN must not be greater than TTL_MAX_ANONYMOUS$/],
    [{ PASSPHRASE_MIN_LENGTH: "200" }, /^PASSPHRASE_MIN_LENGTH must not be greater than PASSPHRASE_MAX/],
    [{ PASSWORD_GEN_LENGTH: "200" }, /^PASSWORD_GEN_LENGTH must not be greater than PASSWORD_GEN_MAX/],
    [
      {
        PASSWORD_GEN_UPPERCASE: "false",
        PASSWORD_GEN_LOWERCASE: "false",
        PASSWORD_GEN_NUMBERS: "false",
        PASSWORD_GEN_SYMBOLS: "false",
      },
      /^at least one of PASSWORD_GEN_UPPERCASE/,
    ],
    [{ HOST: "https://secrets.example.com/" }, /^HOST must be a host name/],
    [{ HOST: "secrets.example.com/path" }, /^HOST must be a host name/],
    [{ LOG_FORMAT: "colour" }, /^LOG_FORMAT must be one of pretty, json \(got "colour"\)$/],
    [{ I18N_DEFAULT_LOCALE: "xx" }, /^I18N_DEFAULT_LOCALE must be one of en, .*\bfr\b.* \(got "xx"\)$/],
    [{ RATE_LIMIT_CREATE: "0" }, /^RATE_LIMIT_CREATE must be at least 1 \(got 0\)$/],
    [{ RATE_LIMIT_ENABLED: "perhaps" }, /^RATE_LIMIT_ENABLED must be true or false/],
    [{ PASSPHRASE_LOCKOUT: "-5" }, /^PASSPHRASE_LOCKOUT must be at least 1 \(got -5\)$/],
    [{ SWEEP_INTERVAL: "0" }, /^SWEEP_INTERVAL must be at least 1 \(got 0\)$/],
    [{ BODY_LIMIT: "10" }, /^BODY_LIMIT must be at least 1024 \(got 10\)$/],
    [{ SESSION_TTL: "60" }, /^SESSION_TTL must be at least 300 \(got 60\)$/],
    [{ SHUTDOWN_TIMEOUT: "0" }, /^SHUTDOWN_TIMEOUT must be between 1 and 3600 \(got 0\)$/],
    [
      { TRUSTED_PROXY_ENABLED: "true" },
      /^TRUSTED_PROXY_ENABLED=true needs TRUSTED_PROXY_CIDRS or TRUSTED_PROXY_DEPTH$/,
    ],
    [
      { TRUSTED_PROXY_ENABLED: "true", TRUSTED_PROXY_CIDRS: "10.0.0.0/8", TRUSTED_PROXY_DEPTH: "1" },
      /^set only one of TRUSTED_PROXY_CIDRS and TRUSTED_PROXY_DEPTH$/,
    ],
    [
      { TRUSTED_PROXY_ENABLED: "true", TRUSTED_PROXY_CIDRS: "10.0.0.0/8 proxy.local 10.0.0.0/33" },
      /^TRUSTED_PROXY_CIDRS must be IP addresses or ranges .*\(got "proxy.local 10.0.0.0\/33"\)$/,
    ],
  ];
  for (const [env, expected] of cases) {
    const found = problems(env);
    assert.equal(found.length, 1, `${JSON.stringify(env)} → ${JSON.stringify(found)}`);
    assert.match(found[0] as string, expected);
    assert.ok(!(found[0] as string).includes("\n"));
  }
});

test("every problem is reported at once, not just the first", () => {
  const found = problems({
    PORT: "abc",
    SSL: "maybe",
    TTL_OPTIONS: "1 x",
    SECRET: "short",
    LOG_LEVEL: "loud",
    TTL_MAX: "1000",
    TTL_MAX_ANONYMOUS: "2000",
  });
  assert.equal(found.length, 6, found.join("\n"));
  for (const name of ["PORT", "SSL", "TTL_OPTIONS", "SECRET", "LOG_LEVEL", "TTL_MAX_ANONYMOUS"]) {
    assert.equal(found.filter((p) => p.startsWith(name)).length, 1, `${name} in ${found.join(" | ")}`);
  }
  // The root key is never echoed back, even when it is refused.
  assert.ok(found.every((p) => !p.includes("short")));
});

test("valid trusted proxy ranges of every accepted form pass", () => {
  const c = loadConfig({
    TRUSTED_PROXY_ENABLED: "true",
    TRUSTED_PROXY_CIDRS: "10.0.0.0/8 192.168.0.0/255.255.0.0 ::1 fe80::/10 loopback uniquelocal",
  });
  assert.equal(c.trustProxy, "10.0.0.0/8,192.168.0.0/255.255.0.0,::1,fe80::/10,loopback,uniquelocal");
});

test("the server refuses to start on bad configuration: one line per problem, no stack trace", () => {
  using dir = tempDir("onetime-config-");
  const dataDir = dir.path;
  const run = spawnSync(process.execPath, [compiled("src/main.ts")], {
    cwd: join(import.meta.dirname, ".."),
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: "abc", SSL: "maybe" },
    encoding: "utf8",
    timeout: 30_000,
  });
  assert.notEqual(run.status, 0);
  assert.equal(run.stdout, "");
  const lines = run.stderr.trimEnd().split("\n");
  assert.deepEqual(lines, [
    'onetime: configuration: PORT must be a whole number (got "abc")',
    'onetime: configuration: SSL must be true or false (got "maybe")',
  ]);
  assert.doesNotMatch(run.stderr, /\n\s+at |Error:/);
  // Nothing was started, so nothing was written: not even a generated root key.
  assert.deepEqual(readdirSync(dataDir), []);
});

test("Redis: REDIS_URL (or VALKEY_URL) selects it, needs SECRET, and bad values are named", () => {
  const secret = "s".repeat(32);
  assert.equal(loadConfig({}).redisUrl, null);
  assert.equal(
    loadConfig({ REDIS_URL: "redis://:pw@127.0.0.1:6380/2", SECRET: secret }).redisUrl,
    "redis://:pw@127.0.0.1:6380/2",
  );
  assert.equal(
    loadConfig({ VALKEY_URL: "rediss://cache:6379", SECRET: secret }).redisUrl,
    "rediss://cache:6379",
  );
  assert.deepEqual(loadConfig({ REDIS_CLUSTER_NODES: "a:7000,b:7001", SECRET: secret }).redisClusterNodes, [
    "a:7000",
    "b:7001",
  ]);
  const found = problems({ REDIS_URL: "http://x", REDIS_CLUSTER_NODES: "nope", REDIS_PREFIX: "a b" });
  assert.equal(found.length, 4);
  assert.ok(found.some((p) => p.startsWith("REDIS_URL must be")));
  assert.ok(found.some((p) => p.startsWith("SECRET is required with REDIS_URL")));
  assert.ok(found.some((p) => p.startsWith("REDIS_CLUSTER_NODES must be")));
  assert.ok(found.some((p) => p.startsWith("REDIS_PREFIX must be")));
});

test("mail: off without SMTP_HOST; SMTP_* shape the connection; bad values are named", () => {
  const off = loadConfig({});
  assert.equal(off.mail.smtp, null);
  assert.equal(off.mail.fromEmail, "noreply@localhost");
  assert.equal(off.mail.fromName, "onetime");
  assert.equal(off.mail.maxAttempts, 8);
  assert.equal(off.mail.retryBaseSeconds, 30);

  const on = loadConfig({
    HOST: "secrets.example.com",
    SMTP_HOST: "smtp.example.com",
    SMTP_USERNAME: "mailer",
    SMTP_PASSWORD: "pw",
  });
  assert.deepEqual(on.mail.smtp, {
    host: "smtp.example.com",
    port: 587,
    username: "mailer",
    password: "pw",
    tls: false,
  });
  assert.equal(on.mail.fromEmail, "noreply@secrets.example.com");
  assert.equal(loadConfig({ HOST: "s.example", SMTP_HOST: "h", SMTP_TLS: "true" }).mail.smtp?.port, 465);

  assert.deepEqual(
    problems({
      HOST: "secrets.example.com",
      SMTP_HOST: "h",
      SMTP_USERNAME: "u",
      SMTP_PORT: "0",
      FROM_EMAIL: "nope",
      MAIL_MAX_ATTEMPTS: "x",
    }),
    [
      "SMTP_PORT must be between 1 and 65535 (got 0)",
      "set both SMTP_USERNAME and SMTP_PASSWORD, or neither",
      'FROM_EMAIL must be an email address (got "nope")',
      'MAIL_MAX_ATTEMPTS must be a whole number (got "x")',
    ],
  );
});

test("web accounts: off by default; AUTH_* options read; sign-up without mail must autoverify", () => {
  assert.deepEqual(loadConfig({}).auth, {
    signup: false,
    required: false,
    autoverify: false,
    allowedDomains: [],
    passwordMinLength: 8,
    sessionTtlSeconds: 604800,
  });
  const c = loadConfig({
    AUTH_SIGNUP: "true",
    AUTH_REQUIRED: "true",
    AUTH_AUTOVERIFY: "true",
    ALLOWED_SIGNUP_DOMAIN: "Example.com, @corp.example.org",
    PASSWORD_MIN_LENGTH: "12",
    SESSION_TTL: "3600",
  });
  assert.deepEqual(c.auth, {
    signup: true,
    required: true,
    autoverify: true,
    allowedDomains: ["example.com", "corp.example.org"],
    passwordMinLength: 12,
    sessionTtlSeconds: 3600,
  });
  assert.deepEqual(problems({ AUTH_SIGNUP: "true" }), [
    "AUTH_SIGNUP=true sends confirmation mail: set SMTP_HOST, or AUTH_AUTOVERIFY=true",
  ]);
  assert.deepEqual(problems({ AUTH_SIGNUP: "true", HOST: "s.example", SMTP_HOST: "smtp.example.com" }), []);
  assert.deepEqual(problems({ AUTH_REQUIRED: "true", AUTH_ENABLED: "false" }), [
    "AUTH_SIGNUP and AUTH_REQUIRED need AUTH_ENABLED=true",
  ]);
});

test("no unbounded range is worded with Infinity", () => {
  const found = problems(
    Object.fromEntries(
      ["TTL_MIN", "TTL_MAX", "DEFAULT_TTL", "RATE_LIMIT_WINDOW", "SESSION_TTL", "BODY_LIMIT"].map((n) => [
        n,
        "-1",
      ]),
    ),
  );
  assert.ok(found.length >= 6, found.join("\n"));
  for (const p of found) assert.doesNotMatch(p, /Infinity/);
});

test("SMTP_HOST needs HOST: a mailed link never takes a request's Host header", () => {
  assert.deepEqual(problems({ SMTP_HOST: "smtp.example.com" }), [
    "SMTP_HOST needs HOST: mailed links must name this site, e.g. HOST=secrets.example.com",
  ]);
  assert.deepEqual(problems({ SMTP_HOST: "smtp.example.com", HOST: "secrets.example.com" }), []);
  // Without mail, HOST may stay unset: links then follow each request's host.
  assert.deepEqual(problems({}), []);
});

test("connection options: safe defaults, each read from its variable, and checked", () => {
  assert.deepEqual(loadConfig({}).connections, {
    headersTimeoutSeconds: 20,
    requestTimeoutSeconds: 60,
    keepAliveTimeoutSeconds: 5,
    maxConnections: 1000,
    drainLimit: 64 * 65536,
  });
  assert.deepEqual(
    loadConfig({
      HEADERS_TIMEOUT: "5",
      REQUEST_TIMEOUT: "30",
      KEEP_ALIVE_TIMEOUT: "65",
      MAX_CONNECTIONS: "200",
      BODY_DRAIN_LIMIT: "0",
    }).connections,
    {
      headersTimeoutSeconds: 5,
      requestTimeoutSeconds: 30,
      keepAliveTimeoutSeconds: 65,
      maxConnections: 200,
      drainLimit: 0,
    },
  );
  // The drain follows the body limit it multiplies.
  assert.equal(loadConfig({ BODY_LIMIT: "100000" }).connections.drainLimit, 6_400_000);
  assert.deepEqual(problems({ HEADERS_TIMEOUT: "90", REQUEST_TIMEOUT: "60" }), [
    "HEADERS_TIMEOUT must not be greater than REQUEST_TIMEOUT",
  ]);
  assert.deepEqual(problems({ KEEP_ALIVE_TIMEOUT: "0", MAX_CONNECTIONS: "0" }), [
    "KEEP_ALIVE_TIMEOUT must be between 1 and 3600 (got 0)",
    "MAX_CONNECTIONS must be at least 1 (got 0)",
  ]);
});

test("the argon2 queue: one client's share must leave room for others", () => {
  assert.deepEqual(problems({ ARGON2_QUEUE_MAX: "8", ARGON2_QUEUE_PER_CLIENT: "7" }), []);
  for (const share of ["8", "9"]) {
    assert.deepEqual(problems({ ARGON2_QUEUE_MAX: "8", ARGON2_QUEUE_PER_CLIENT: share }), [
      "ARGON2_QUEUE_PER_CLIENT must be less than ARGON2_QUEUE_MAX",
    ]);
  }
});
