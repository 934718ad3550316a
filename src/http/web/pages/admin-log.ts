import type { AuditEntry, MailSummary, OutboxView } from "../../../actions/admin-overview.js";
import { withQuery } from "../context.js";
import { type Html, html } from "../html.js";
import { csrfField, type View } from "../layout.js";
import { adminLayout, auditTable, cell, count, timeOf } from "./admin.js";

// The mail outbox (queued and failed mail: states and error codes, never an address or a link,
// which stay sealed) and the audit log with its filters and its download.

export function mailPage(view: View, data: OutboxView & { now: number }): Html {
  const { t } = view;
  const col = {
    id: t("admin.mail.col.id"),
    created: t("admin.mail.col.created"),
    attempts: t("admin.mail.col.attempts"),
    error: t("admin.mail.col.error"),
    next: t("admin.mail.col.next"),
    updated: t("admin.mail.col.updated"),
  };
  const table = (mails: MailSummary[], queued: boolean) =>
    mails.length === 0
      ? html`<p class="card empty">${queued ? t("admin.mail.none_queued") : t("admin.mail.none_failed")}</p>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${queued ? t("admin.mail.queued") : t("admin.mail.failed")}">
  <table class="receipts admin-table" role="table">
    <thead role="rowgroup"><tr role="row">
      <th scope="col" role="columnheader">${col.id}</th>
      <th scope="col" role="columnheader">${col.created}</th>
      <th scope="col" role="columnheader">${col.attempts}</th>
      <th scope="col" role="columnheader">${col.error}</th>
      <th scope="col" role="columnheader">${queued ? col.next : col.updated}</th>
      ${queued && html`<th scope="col" role="columnheader"><span class="visually-hidden">${t("admin.accounts.col.actions")}</span></th>`}
    </tr></thead>
    <tbody role="rowgroup">${mails.map(
      (m) => html`<tr role="row">
      ${cell(view, col.id, html`<code>${m.id.slice(0, 8)}</code>`)}
      ${cell(view, col.created, timeOf(view, m.createdAt))}
      ${cell(view, col.attempts, count(view, m.attempts))}
      ${cell(view, col.error, m.lastError === null ? "–" : html`<code>${m.lastError}</code>`)}
      ${cell(view, queued ? col.next : col.updated, timeOf(view, queued ? m.dueAt : m.updatedAt))}
      ${
        queued &&
        html`<td role="cell" class="row-actions">${
          m.updatedAt + data.leaseMs <= data.now
            ? html`<form method="post" action="${view.href(`/admin/mail/${m.id}/retry`)}" class="inline-form">
            ${csrfField(view)}<button type="submit" class="small">${t("admin.mail.retry")}</button></form>`
            : html`<span class="hint">${t("admin.mail.trying")}</span>`
        }</td>`
      }
    </tr>`,
    )}</tbody>
  </table>
  </div>`;
  const main = html`
<p class="lead">${t("admin.mail.lead")}</p>
<section aria-labelledby="queued-title">
  <h2 id="queued-title">${t("admin.mail.queued")}</h2>
  ${table(data.queued, true)}
</section>
<section aria-labelledby="failed-title">
  <h2 id="failed-title">${t("admin.mail.failed")}</h2>
  <p class="hint">${t("admin.mail.failed_hint")}</p>
  ${table(data.failed, false)}
</section>`;
  return adminLayout(view, "mail", t("admin.mail.title"), main);
}

export interface AuditPageData {
  entries: AuditEntry[];
  about: string;
  client: string;
  ip: string;
  /** Entries per page: a full page has a link to the next. */
  listed: number;
  retentionDays: number;
}

export function auditPage(view: View, data: AuditPageData): Html {
  const { t } = view;
  const last = data.entries[data.entries.length - 1];
  const filters = { about: data.about, client: data.client, ip: data.ip };
  const kept = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== ""));
  const main = html`
<p class="lead">${t("admin.audit.lead", { count: data.retentionDays })}</p>
<form method="get" action="${view.href("/admin/audit")}" class="card admin-search" role="search">
  <div class="field">
    <label for="about">${t("admin.audit.about")}</label>
    <input type="search" id="about" name="about" value="${data.about}" autocomplete="off">
  </div>
  <div class="field">
    <label for="ip">${t("admin.audit.ip")}</label>
    <input type="search" id="ip" name="ip" value="${data.ip}" autocomplete="off" inputmode="text">
    <p class="hint">${t("admin.audit.ip_hint")}</p>
  </div>
  ${data.client && html`<input type="hidden" name="client" value="${data.client}"><p class="hint">${t("admin.audit.client_filter", { client: data.client.slice(0, 8) })}</p>`}
  <div class="actions">
    <button type="submit">${t("admin.audit.filter")}</button>
    <a class="button" href="${view.href("/admin/audit")}">${t("admin.audit.clear")}</a>
  </div>
</form>
${auditTable(view, data.entries)}
${
  data.entries.length >= data.listed &&
  last !== undefined &&
  html`<p><a href="${withQuery(view.href("/admin/audit"), { ...kept, after: last.id })}">${t("admin.audit.older")}</a></p>`
}
<section class="card" aria-labelledby="export-title">
  <h2 id="export-title">${t("admin.audit.export.title")}</h2>
  <p>${t("admin.audit.export.lead")}</p>
  <form method="post" action="${view.href("/admin/audit/export")}">
    ${csrfField(view)}<button type="submit">${t("admin.audit.export.submit")}</button>
  </form>
</section>`;
  return adminLayout(view, "audit", t("admin.audit.title"), main);
}
