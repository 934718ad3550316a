// The admin block of loadConfig (config.ts): who may open the admin pages, how fresh their sign-in
// must be for what cannot be undone, and how long the audit log is kept (docs/admin.md).

import type { Reader } from "./config-reader.js";

export interface AdminConfig {
  /** ADMIN_EMAILS: the addresses (lower case) whose accounts are admins. Empty: no admin pages. */
  emails: string[];
  /** ADMIN_SIGNIN_MAX_AGE: seconds since sign-in within which an admin may disable, delete, revoke. */
  signinMaxAgeSeconds: number;
  /** AUDIT_RETENTION_DAYS: how long an audit entry is kept. */
  auditRetentionDays: number;
}

const EMAIL = /^[^\s@:]+@[^\s@:]+\.[^\s@:]+$/;

export function adminConfig(r: Reader): AdminConfig {
  const emails = r.list("ADMIN_EMAILS", []).map((e) => e.toLowerCase());
  const bad = emails.filter((e) => !EMAIL.test(e));
  if (bad.length > 0)
    r.problem(`ADMIN_EMAILS must be email addresses separated by commas (got "${bad.join(" ")}")`);
  return {
    emails: [...new Set(emails)],
    signinMaxAgeSeconds: r.int("ADMIN_SIGNIN_MAX_AGE", 900, { min: 60, max: 86400 }),
    auditRetentionDays: r.int("AUDIT_RETENTION_DAYS", 90, { min: 1, max: 3650 }),
  };
}
