import { AppError } from "../domain/errors.js";
import type { Deps } from "./deps.js";
import { ticketId } from "./tickets.js";

/** Confirms an address from its mailed link (taken once: a second click finds no ticket). */
export async function confirmAddress(deps: Deps, token: string): Promise<void> {
  const ticket = await deps.store.accounts.takeTicket(ticketId(deps, "verify", token), deps.now());
  const creds = ticket === null ? null : await deps.store.accounts.getCredentials(ticket.accountId);
  if (creds === null) throw new AppError("link_invalid");
  if (creds.verifiedAt === null)
    await deps.store.accounts.setCredentials({ ...creds, verifiedAt: deps.now(), updatedAt: deps.now() });
}
