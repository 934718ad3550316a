import { AppError } from "../domain/errors.js";
import type { AccountRow } from "../store/types.js";
import { type Admin, checkFreshSignIn } from "./admins.js";
import { type AuditAction, audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";

// What an admin does to accounts: find them, disable and enable them, revoke their API token, end
// their sessions, delete them. Each change needs a fresh sign-in (admins.ts), is recorded in the
// audit log with the admin as actor, and acts at once: a disabled account's sessions and token are
// refused on their next request (session-account.ts, authenticate.ts).

/** What the accounts page shows of an account: never a token, a hash or a key. */
export interface AccountSummary {
  id: string;
  email: string;
  createdAt: number;
  disabledAt: number | null;
  hasToken: boolean;
  /** Has a web password (accounts made with the command line have none until a reset). */
  webPassword: boolean;
  /** The address is confirmed (null without a web password). */
  verified: boolean | null;
}

/** Accounts shown per search: a longer list is narrowed by searching. */
export const ACCOUNTS_SHOWN = 50;

export type AccountChange = "disable" | "enable" | "revoke_token" | "end_sessions" | "delete";

const ACTIONS: Record<AccountChange, AuditAction> = {
  disable: "account_disabled",
  enable: "account_enabled",
  revoke_token: "token_revoked",
  end_sessions: "sessions_ended",
  delete: "account_deleted",
};

/** Accounts whose address contains `search`, in address order, at most ACCOUNTS_SHOWN. */
export async function findAccounts(deps: Deps, search: string): Promise<AccountSummary[]> {
  const rows = await deps.store.accounts.findAccounts(search.trim(), ACCOUNTS_SHOWN);
  return Promise.all(rows.map((row) => summary(deps, row)));
}

/** One account by id, or null. */
export async function accountSummary(deps: Deps, id: string): Promise<AccountSummary | null> {
  const row = await deps.store.accounts.get(id);
  return row === null ? null : summary(deps, row);
}

/**
 * Applies `change` to the account `id` for `admin`, recorded in the audit log; returns the account's
 * address. An admin cannot disable or delete their own account here (admin_self): that would lock
 * them out of the pages that undo it.
 */
export async function changeAccount(
  deps: Deps,
  from: Pick<Caller, "ip">,
  admin: Admin,
  id: string,
  change: AccountChange,
): Promise<string> {
  checkFreshSignIn(deps, admin);
  const account = await deps.store.accounts.get(id);
  if (account === null) throw new AppError("no_account", { email: "" });
  if ((change === "disable" || change === "delete") && account.id === admin.id)
    throw new AppError("admin_self");
  const now = deps.now();
  const { accounts } = deps.store;
  if (change === "disable") {
    await accounts.setDisabled(id, now, now);
    // Refused already by the check on every request; deleted too, so nothing of them is left.
    await accounts.deleteSessions(id);
  } else if (change === "enable") {
    await accounts.setDisabled(id, null, now);
  } else if (change === "revoke_token") {
    await accounts.setToken(id, null, null, now);
  } else if (change === "end_sessions") {
    await accounts.deleteSessions(id);
  } else {
    await accounts.delete(id);
    await deps.store.webhooks.removeAccount(id);
  }
  await audit(deps, from, {
    action: ACTIONS[change],
    actor: admin.email,
    target: account.email,
    detail: "admin",
  });
  return account.email;
}

async function summary(deps: Deps, row: AccountRow): Promise<AccountSummary> {
  const creds = await deps.store.accounts.getCredentials(row.id);
  return {
    id: row.id,
    email: row.email,
    createdAt: row.createdAt,
    disabledAt: row.disabledAt,
    hasToken: row.tokenHash !== null,
    webPassword: creds !== null,
    verified: creds === null ? null : creds.verifiedAt !== null,
  };
}
