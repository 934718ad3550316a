// The durable mail outbox: a mail is queued with the request that asks for it and sent by a worker,
// possibly in another process, with retries and leases so that a dead worker loses nothing.

import type { MailState } from "../../domain/receipt.js";

export type { MailState };

/**
 * One mail in the durable outbox. The message (address, link) is sealed under a server key and
 * wiped once the mail is sent or has failed for good; what stays is its delivery state.
 */
export interface MailRow {
  id: string;
  /** The receipt the mail is about, whose page shows the delivery state; null for account mail. */
  receiptId: string | null;
  sealed: Buffer;
  state: MailState;
  /** Tries made so far. */
  attempts: number;
  /**
   * When a worker may claim it next: its next try, or — while a worker holds it — the end of that
   * worker's lease, so that a mail whose worker died is tried again.
   */
  dueAt: number;
  /** Why the last try failed: an error code, never the message or the address. */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  /** The row is deleted after this (with its receipt). */
  expiresAt: number;
}

export type MailStatus = Pick<MailRow, "state" | "attempts" | "lastError" | "updatedAt">;

/** A mail as the admin pages see it: everything but the sealed message. */
export type MailSummary = Omit<MailRow, "sealed">;

export interface MailOutcome {
  state: MailState;
  dueAt?: number;
  lastError?: string | null;
}

export interface Outbox {
  /** Adds a mail to the outbox. */
  enqueue(mail: MailRow): Promise<void>;
  /**
   * Atomic claim: the queued mail due soonest (dueAt ≤ now), leased to the caller until
   * now + leaseMs with its attempt count raised by one; null when none is due. Two workers never
   * hold the same mail at once; a mail whose worker dies is claimable again when the lease ends.
   */
  claim(now: number, leaseMs: number): Promise<MailRow | null>;
  /**
   * Records a try's outcome. `sent` and `failed` are final and wipe the sealed message; `queued`
   * schedules the next try at `dueAt`. False when the mail no longer exists.
   */
  settle(id: string, outcome: MailOutcome, now: number): Promise<boolean>;
  /** The delivery state of the mail about a receipt; null when none was queued. */
  status(receiptId: string, now: number): Promise<MailStatus | null>;
  /** Live mails in `state`, the most recently changed first, at most `limit`. */
  list(state: "queued" | "failed", limit: number, now: number): Promise<MailSummary[]>;
  /**
   * Makes a queued mail due at `now`, when no worker can hold it: its last claim's lease
   * (`leaseMs`, counted from updatedAt, which every claim and settle sets) has ended. False
   * otherwise (unknown, sent, failed, expired, or perhaps in a worker's hands).
   */
  retryNow(id: string, leaseMs: number, now: number): Promise<boolean>;
}
