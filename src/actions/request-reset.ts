import { normalizeEmail } from "./accounts.js";
import type { Caller, Deps } from "./deps.js";
import { locateAccount } from "./keyring.js";
import { limit } from "./rate-limit.js";
import { mailTicket } from "./tickets.js";

/** Mails a reset link when the account exists; says nothing either way, so addresses cannot be probed. */
export async function requestReset(
  deps: Deps,
  caller: Caller,
  input: { email: string; locale: string | null },
): Promise<void> {
  await limit(deps, caller, "signup");
  const address = normalizeEmail(input.email);
  const found = address === null ? null : await locateAccount(deps, address);
  if (found === null || deps.config.mail.smtp === null) return;
  await mailTicket(deps, "reset", found.account, input.locale);
}
