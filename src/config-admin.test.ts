import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.js";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
}

test("admin defaults: no admins, a sign-in of the last 15 minutes, audit kept 90 days", () => {
  assert.deepEqual(loadConfig({}).admin, { emails: [], signinMaxAgeSeconds: 900, auditRetentionDays: 90 });
});

test("ADMIN_EMAILS: addresses in lower case, once each, separated by commas or spaces", () => {
  const { admin } = loadConfig({
    ADMIN_EMAILS: "Root@Example.com, ops@example.com root@example.com",
    ADMIN_SIGNIN_MAX_AGE: "300",
    AUDIT_RETENTION_DAYS: "365",
  });
  assert.deepEqual(admin, {
    emails: ["root@example.com", "ops@example.com"],
    signinMaxAgeSeconds: 300,
    auditRetentionDays: 365,
  });
});

test("bad admin settings are named", () => {
  assert.deepEqual(problems({ ADMIN_EMAILS: "root@example.com,root" }), [
    'ADMIN_EMAILS must be email addresses separated by commas (got "root")',
  ]);
  assert.deepEqual(problems({ ADMIN_SIGNIN_MAX_AGE: "10", AUDIT_RETENTION_DAYS: "0" }), [
    "ADMIN_SIGNIN_MAX_AGE must be between 60 and 86400 (got 10)",
    "AUDIT_RETENTION_DAYS must be between 1 and 3650 (got 0)",
  ]);
  assert.deepEqual(problems({ ADMIN_EMAILS: "root@example.com", AUTH_ENABLED: "false" }), [
    "ADMIN_EMAILS needs AUTH_ENABLED=true",
  ]);
});
