// The audit log: who did what to which account, when and from where, kept for AUDIT_RETENTION_DAYS.
// Entries are written by the server's own code only (actions/audit.ts), never copied from a request:
// no secret, key, token or password ever reaches one.

/** How an audited attempt ended. */
export type AuditOutcome = "ok" | "denied" | "failed";

export interface AuditEntry {
  /** Unique, and sorts as the entries happened: `at` zero-padded first (actions/audit.ts, auditId). */
  id: string;
  at: number;
  /** The account's address, or "system" (the command line, the server itself) or "anonymous". */
  actor: string;
  /** What happened, a fixed code (actions/audit.ts lists them). */
  action: string;
  /** Whom it concerned: an account's address, a mail id; "" when nothing in particular. */
  target: string;
  /** The client, as the rate limits know it: a keyed pseudonym of its address, never the address. */
  ip: string;
  outcome: AuditOutcome;
  /** A short code that says more ("bad_credentials", "api"); "" when there is nothing to add. */
  detail: string;
  /** The entry is deleted after this (at + AUDIT_RETENTION_DAYS when it was written). */
  expiresAt: number;
}

export interface AuditQuery {
  now: number;
  /** At most this many entries. */
  limit: number;
  /** Newest first (the admin page) or oldest first (the export). */
  order: "newest" | "oldest";
  /** Continue after this entry id, in `order` (exclusive): the last id of the previous page. */
  after?: string;
  /** Only entries whose actor or target is exactly this. */
  about?: string;
  /** Only entries from this client pseudonym. */
  ip?: string;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  /** Entries live at `query.now`, in id order, filtered and paged as the query says. */
  list(query: AuditQuery): Promise<AuditEntry[]>;
}
