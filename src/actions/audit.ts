import { randomBytes } from "node:crypto";
import type { AuditEntry, AuditOutcome } from "../store/types.js";
import type { Caller, Deps } from "./deps.js";
import { clientKey } from "./rate-limit.js";

// The audit log's one writer. Every account-security event and every admin action is recorded
// here, with who did it, to whom, when and from where: the client as the rate limits know it (a
// keyed pseudonym of its address, never the address, docs/security.md). Entries are made of fixed
// codes and account addresses only, never of what a request typed: no secret, key, token or
// password can reach one. An entry is kept AUDIT_RETENTION_DAYS, then swept with expired rows.

/** Every action the log knows, in docs/admin.md's order. */
export const AUDIT_ACTIONS = [
  "signin",
  "signin_failed",
  "api_auth_failed",
  "account_created",
  "token_created",
  "token_revoked",
  "password_changed",
  "password_reset",
  "account_deleted",
  "admin_denied",
  "account_disabled",
  "account_enabled",
  "sessions_ended",
  "mail_retried",
  "audit_exported",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The actor of what the command line, or the server on its own, does. */
export const SYSTEM = "system";
/** The actor of what someone not signed in does (a failed sign-in). */
export const ANONYMOUS = "anonymous";

export interface AuditEvent {
  action: AuditAction;
  /** An account's address, SYSTEM or ANONYMOUS. */
  actor: string;
  /** The account (its address) or mail (its id) concerned; "" for none. */
  target?: string;
  outcome?: AuditOutcome;
  /** A fixed code that says more (an error code, "api", "admin"); never request data. */
  detail?: string;
}

export type AuditDeps = Pick<Deps, "store" | "vault" | "config" | "now">;

const DAY_MS = 86_400_000;

/** Records `event`; `from` is the client it came from, null for the command line and the server. */
export async function audit(
  deps: AuditDeps,
  from: Pick<Caller, "ip"> | null,
  event: AuditEvent,
): Promise<void> {
  const at = deps.now();
  const entry: AuditEntry = {
    id: auditId(at),
    at,
    actor: event.actor,
    action: event.action,
    target: event.target ?? "",
    ip: from === null ? "" : clientKey(deps, from),
    outcome: event.outcome ?? "ok",
    detail: event.detail ?? "",
    expiresAt: at + deps.config.admin.auditRetentionDays * DAY_MS,
  };
  await deps.store.audit.append(entry);
}

let sequence = 0;

/**
 * An id that sorts by time: `at` zero-padded to 15 digits, this process's count of entries (so
 * that entries of one millisecond keep the order they were made in here), then 64 random bits (so
 * that processes sharing a store never make the same id).
 */
export function auditId(at: number): string {
  sequence = (sequence + 1) % 0x1_0000_0000;
  const time = String(Math.max(0, Math.trunc(at))).padStart(15, "0");
  return `${time}-${sequence.toString(16).padStart(8, "0")}-${randomBytes(8).toString("hex")}`;
}
