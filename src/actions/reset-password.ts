import { AppError } from "../domain/errors.js";
import { audit } from "./audit.js";
import type { Caller, Deps } from "./deps.js";
import { vaultOf } from "./keyring.js";
import { checkPassword, endOldAccess, newCredentials } from "./password.js";
import { ticketId } from "./tickets.js";

/**
 * Sets a new password from a mailed link; signs out everywhere, revokes the API token and ends every
 * other reset link (endOldAccess). The old list key cannot be unwrapped without the old password, so
 * a new list starts: earlier receipts leave the dashboard (their links and receipt addresses still
 * work). An account made with the CLI gets its first web password this way (and a new API token
 * from the account page: the CLI's one is revoked like any other).
 */
export async function resetPassword(
  deps: Deps,
  caller: Pick<Caller, "ip">,
  input: { token: string; password: string },
): Promise<void> {
  checkPassword(deps, input.password);
  const ticket = await deps.store.accounts.takeTicket(ticketId(deps, "reset", input.token), deps.now());
  const account = ticket === null ? null : await deps.store.accounts.get(ticket.accountId);
  if (account === null) throw new AppError("link_invalid");
  // The other links go first, so that none can still be used while this one is being set.
  await deps.store.accounts.deleteTickets(account.id, "reset");
  const creds = await deps.store.accounts.getCredentials(account.id);
  // The mail reached its owner: that confirms the address too.
  const client = deps.vault.subject(account.email);
  const vault = await vaultOf(deps, account.email);
  const row = await newCredentials(deps, client, vault, account.id, input.password, {
    listKey: null,
    verifiedAt: creds?.verifiedAt ?? deps.now(),
    locale: creds?.locale ?? null,
  });
  await deps.store.accounts.setCredentials(row);
  const revoked = await endOldAccess(deps, account.id);
  // The mailed link proves the mailbox: its owner is the actor.
  const self = { actor: account.email, target: account.email };
  await audit(deps, caller, { action: "password_reset", ...self });
  if (revoked) await audit(deps, caller, { action: "token_revoked", ...self, detail: "password_reset" });
}
