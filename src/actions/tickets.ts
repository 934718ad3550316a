import { newToken } from "../crypto/ids.js";
import { hmacHex } from "../crypto/keys.js";
import { mailOrigin, siteUrl } from "../domain/links.js";
import { accountMail } from "../mail/compose.js";
import { mailBrand } from "../mail/message.js";
import { queueMail } from "../mail/outbox.js";
import type { TicketPurpose } from "../store/types.js";
import type { Deps } from "./deps.js";

// The mailed one-time links (address confirmation, password reset). The link's token is never
// stored, only its HMAC, as the ticket's id; the store takes a ticket at most once.

const TICKET_TTL_MS: Record<TicketPurpose, number> = { verify: 24 * 3600_000, reset: 3600_000 };

/** The id of a mailed link's token, per purpose: a reset link cannot confirm an address. */
export const ticketId = (deps: Deps, purpose: TicketPurpose, token: string) =>
  hmacHex(deps.webKeys.session, `ticket:${purpose}`, token);

/** Queues a mail with a one-time link for the account. */
export async function mailTicket(
  deps: Deps,
  purpose: TicketPurpose,
  account: { id: string; email: string },
  locale: string | null,
): Promise<void> {
  const token = newToken();
  const expiresAt = deps.now() + TICKET_TTL_MS[purpose];
  await deps.store.accounts.createTicket({
    id: ticketId(deps, purpose, token),
    purpose,
    accountId: account.id,
    expiresAt,
  });
  const { config, i18n } = deps;
  const origin = mailOrigin(config);
  const mail = accountMail(i18n.messages(i18n.negotiate({ query: locale })), {
    to: account.email,
    purpose,
    link: siteUrl(origin, `/${purpose}/${token}`),
    expiresAt,
    site: origin.host,
    brand: mailBrand(deps.branding),
  });
  await queueMail({ store: deps.store, now: deps.now, key: deps.webKeys.mail }, mail, {
    receiptId: null,
    expiresAt,
  });
}
