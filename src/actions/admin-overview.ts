import { MAIL_LEASE_MS } from "../mail/outbox.js";
import type { AuditEntry, MailSummary, StoreFigures } from "../store/types.js";
import { type Admin, checkFreshSignIn } from "./admins.js";
import { audit } from "./audit.js";
import { type DayCounts, dailyCounts } from "./daily-counts.js";
import type { Caller, Deps } from "./deps.js";
import { clientKey } from "./rate-limit.js";

// What the admin pages read: the figures (over time and now), the mail outbox, the audit log. Only
// counts, states, addresses of accounts and fixed codes: no secret, link, key, passphrase or
// receipt key is among them, nor a mail's address or link (sealed, and never opened here).

export type { AuditEntry, MailSummary, StoreFigures };

export interface Overview {
  days: DayCounts[];
  store: StoreFigures;
  queuedMail: number;
  failedMail: number;
  recent: AuditEntry[];
}

/** Mails and audit entries listed per page. */
export const LISTED = 50;

export async function overview(deps: Deps): Promise<Overview> {
  const now = deps.now();
  // This process's counts first; another process's reach the store within its next flush.
  await deps.daily.flush();
  const [days, store, queued, failed, recent] = await Promise.all([
    dailyCounts(deps.store, now),
    deps.store.size.measure(now),
    deps.store.outbox.list("queued", 1000, now),
    deps.store.outbox.list("failed", 1000, now),
    deps.store.audit.list({ now, limit: 10, order: "newest" }),
  ]);
  return { days, store, queuedMail: queued.length, failedMail: failed.length, recent };
}

export interface OutboxView {
  queued: MailSummary[];
  failed: MailSummary[];
  /** A queued mail may be retried now once this long has passed since its last try began or ended. */
  leaseMs: number;
}

export async function outboxView(deps: Deps): Promise<OutboxView> {
  const now = deps.now();
  const [queued, failed] = await Promise.all([
    deps.store.outbox.list("queued", LISTED, now),
    deps.store.outbox.list("failed", LISTED, now),
  ]);
  return { queued, failed, leaseMs: MAIL_LEASE_MS };
}

/**
 * Makes a queued mail due now, when no worker can be sending it (store/ports/outbox.ts). A failed
 * mail cannot be tried again: its message was wiped when it failed for good. True when it was moved.
 */
export async function retryMail(
  deps: Deps,
  from: Pick<Caller, "ip">,
  admin: Admin,
  id: string,
): Promise<boolean> {
  checkFreshSignIn(deps, admin);
  const moved = await deps.store.outbox.retryNow(id, MAIL_LEASE_MS, deps.now());
  await audit(deps, from, {
    action: "mail_retried",
    actor: admin.email,
    target: id,
    outcome: moved ? "ok" : "failed",
    detail: moved ? "admin" : "not_waiting",
  });
  return moved;
}

export interface AuditFilter {
  /** An account's address: entries where it is the actor or the target. */
  about?: string;
  /** A client's pseudonym, as entries show it. */
  client?: string;
  /** A client's IP address, turned into its pseudonym here (it is never stored). */
  ip?: string;
  /** The last entry id of the previous page. */
  after?: string;
}

/** A page of the audit log, newest first, filtered. */
export async function auditPage(deps: Deps, filter: AuditFilter): Promise<AuditEntry[]> {
  const ip = filter.ip ? clientKey(deps, { ip: filter.ip }) : filter.client || undefined;
  return deps.store.audit.list({
    now: deps.now(),
    limit: LISTED,
    order: "newest",
    after: filter.after || undefined,
    about: filter.about?.trim().toLowerCase() || undefined,
    ip,
  });
}
