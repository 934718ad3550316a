import type { Deps } from "./deps.js";
import type { SessionAccount } from "./session-account.js";

/** Remembers the account's language (null: follow the browser), for its pages and its mail. */
export async function setAccountLocale(
  deps: Deps,
  account: SessionAccount,
  locale: string | null,
): Promise<void> {
  const creds = await deps.store.accounts.getCredentials(account.id);
  if (creds !== null) await deps.store.accounts.setCredentials({ ...creds, locale, updatedAt: deps.now() });
}
