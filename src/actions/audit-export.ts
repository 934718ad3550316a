import type { AuditEntry } from "../store/types.js";
import { type AuditDeps, audit } from "./audit.js";
import type { Caller } from "./deps.js";

// The audit log as JSON lines (one entry per line, oldest first), for the command line
// (`onetime audit export`) and the admin pages' download. Each line holds the entry's fields, its
// time as ISO 8601 (UTC), and nothing else.

const PAGE = 500;

/** One entry as a line of the export (with its newline). */
export function auditLine(e: AuditEntry): string {
  const line = {
    id: e.id,
    at: new Date(e.at).toISOString(),
    actor: e.actor,
    action: e.action,
    target: e.target,
    ip: e.ip,
    outcome: e.outcome,
    detail: e.detail,
  };
  return `${JSON.stringify(line)}\n`;
}

/**
 * Every entry live when the export begins, oldest first, read a page at a time. The export itself
 * is recorded first (by `actor`, from `from`), so the log says who took a copy of it and when.
 */
export async function* exportAudit(
  deps: AuditDeps,
  from: Pick<Caller, "ip"> | null,
  actor: string,
): AsyncGenerator<string> {
  await audit(deps, from, { action: "audit_exported", actor });
  const now = deps.now();
  let after: string | undefined;
  for (;;) {
    const page = await deps.store.audit.list({ now, limit: PAGE, order: "oldest", after });
    for (const entry of page) yield auditLine(entry);
    if (page.length < PAGE) return;
    after = page[page.length - 1]?.id;
  }
}
