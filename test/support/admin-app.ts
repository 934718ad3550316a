// The admin pages' set-up in process: an app where anyone may sign up (verified at once), rate limits
// off, on a manual clock, and an admin visitor signed up and signed in through the form.
import { type ManualClock, manualClock } from "./clock.js";
import { makeTestApp, type TestApp } from "./helpers.js";
import { signUpViaForm, type Visitor, visitor } from "./web-support.js";

export const ADMIN = "root@example.com";
export const PASSWORD = "correct horse battery";

/** `env` adds to the configuration; ADMIN_EMAILS is ADMIN unless it says otherwise. */
export async function appWithAdmin(
  env: Record<string, string> = {},
): Promise<{ t: TestApp; clock: ManualClock; admin: Visitor }> {
  const t = await makeTestApp({
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    RATE_LIMIT_ENABLED: "false",
    ADMIN_EMAILS: ADMIN,
    ...env,
  });
  const clock = manualClock(t);
  const admin = visitor(t.app);
  await signUpViaForm(admin, ADMIN, PASSWORD);
  return { t, clock, admin };
}
