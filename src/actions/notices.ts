import { mailOrigin, siteUrl } from "../domain/links.js";
import type { NotifyEvent } from "../domain/notify.js";
import { receiptShortId } from "../domain/notify.js";
import { viewsUsed } from "../domain/receipt.js";
import { mailBrand } from "../mail/message.js";
import { noticeMail } from "../mail/notice.js";
import { queueMail } from "../mail/outbox.js";
import type { ReceiptRow } from "../store/types.js";
import type { Deps } from "./deps.js";
import { queueWebhookEvent, receiptEventData } from "./webhook-events.js";

// Read notifications (docs/notifications.md): a mail to the creator's account when their secret is
// read, burned or expires unread, queued in the durable outbox; and the same events as webhooks
// (docs/webhooks.md) when the secret's owner had endpoints. The caller has already won the event in
// the store (the take, the burn, the expiry claim), so each event is queued once.

/** A notice mail waits at least this long in the outbox, even when its receipt ends sooner. */
const NOTICE_KEEP_MS = 24 * 3600_000;

/**
 * Queues the notice of `event` when the receipt asked for it, and its webhook event when it has
 * webhooks. Never throws: the event has already happened (a reader holds the secret), and a notice
 * that cannot be queued is logged, not retried.
 */
export async function notify(deps: Deps, receipt: ReceiptRow, event: NotifyEvent, at: number): Promise<void> {
  if (receipt.webhooks && receipt.owner !== null) {
    const accountId = deps.vault.accountId(receipt.owner);
    await queueWebhookEvent(deps, accountId, `secret.${event}`, receiptEventData(receipt), at);
  }
  await notifyByMail(deps, receipt, event, at);
}

async function notifyByMail(deps: Deps, receipt: ReceiptRow, event: NotifyEvent, at: number): Promise<void> {
  if (!receipt.notify.includes(event) || receipt.owner === null) return;
  const smtp = deps.config.mail.smtp;
  if (smtp === null) return;
  try {
    const accountId = deps.vault.accountId(receipt.owner);
    const account = await deps.store.accounts.get(accountId);
    // A deleted or disabled account hears nothing.
    if (account === null || account.disabledAt !== null) return;
    const creds = await deps.store.accounts.getCredentials(accountId);
    const { i18n } = deps;
    const origin = mailOrigin(deps.config);
    const mail = noticeMail(i18n.messages(i18n.negotiate({ query: creds?.locale ?? undefined })), {
      to: account.email,
      event,
      at,
      createdAt: receipt.createdAt,
      viewsUsed: viewsUsed(receipt),
      views: receipt.views,
      shortId: receiptShortId(receipt.id),
      dashboard: siteUrl(origin, "/dashboard"),
      site: origin.host,
      brand: mailBrand(deps.branding),
    });
    const now = deps.now();
    await queueMail({ store: deps.store, now: deps.now, key: deps.webKeys.mail }, mail, {
      receiptId: null,
      expiresAt: Math.max(receipt.expiresAt, now + NOTICE_KEEP_MS),
    });
  } catch (err) {
    deps.log.warn({ errType: (err as Error).name, event }, "notice not queued");
  }
}

/** Tells of a read: the take handed back the row, so the receipt is read only when a notice is due. */
export async function notifyRead(deps: Deps, receiptId: string, at: number): Promise<void> {
  try {
    const receipt = await deps.store.secrets.getReceipt(receiptId, at);
    if (receipt !== null) await notify(deps, receipt, "read", at);
  } catch (err) {
    deps.log.warn({ errType: (err as Error).name, event: "read" }, "notice not queued");
  }
}

/**
 * Claims the expiry notices that are due and queues them; returns how many. Run by every process's
 * sweep: the store hands each receipt to one of them (claimExpiryNotices).
 */
export async function sendExpiryNotices(deps: Deps, limit = 100): Promise<number> {
  let sent = 0;
  for (;;) {
    const due = await deps.store.secrets.claimExpiryNotices(deps.now(), limit);
    for (const receipt of due) await notify(deps, receipt, "expired", receipt.secretExpiresAt);
    sent += due.length;
    if (due.length < limit) return sent;
  }
}
