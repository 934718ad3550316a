// The mail block of loadConfig (config.ts), read through its Reader: where mail goes (SMTP), who it
// comes from, and how often a failed mail is tried again.

import type { Reader } from "./config-reader.js";

export interface SmtpConfig {
  host: string;
  port: number;
  username: string | null;
  password: string | null;
  /** true: TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when offered. */
  tls: boolean;
}

export interface MailConfig {
  /** Null when SMTP_HOST is unset: no mail is queued, and receipts say so. */
  smtp: SmtpConfig | null;
  fromEmail: string;
  fromName: string;
  /** Sending tries before a mail is marked failed. */
  maxAttempts: number;
  /** Wait before the first retry; doubled after each failure, at most an hour. */
  retryBaseSeconds: number;
}

export function mailConfig(r: Reader): MailConfig {
  const host = r.optionalStr("SMTP_HOST");
  const tls = r.bool("SMTP_TLS", false);
  const smtpPort = r.int("SMTP_PORT", tls ? 465 : 587, { min: 1, max: 65535 });
  const username = r.optionalStr("SMTP_USERNAME");
  const password = r.optionalStr("SMTP_PASSWORD");
  if ((username === null) !== (password === null))
    r.problem("set both SMTP_USERNAME and SMTP_PASSWORD, or neither");
  const fromEmail = r.str("FROM_EMAIL", `noreply@${r.str("HOST", "localhost").replace(/:\d+$/, "")}`);
  if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(fromEmail))
    r.problem(`FROM_EMAIL must be an email address (got "${fromEmail}")`);
  return {
    smtp: host === null ? null : { host, port: smtpPort, username, password, tls },
    fromEmail,
    fromName: r.str("FROM_NAME", "onetime"),
    maxAttempts: r.int("MAIL_MAX_ATTEMPTS", 8, { min: 1, max: 100 }),
    retryBaseSeconds: r.int("MAIL_RETRY_BASE", 30, { min: 1, max: 3600 }),
  };
}
