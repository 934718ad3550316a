import type { AuditEntry, Overview } from "../../../actions/admin-overview.js";
import type { AuditAction } from "../../../actions/audit.js";
import type { DailyKind } from "../../../actions/daily-counts.js";
import { fileSize } from "../../../i18n/file-size.js";
import { withQuery } from "../context.js";
import { type Html, html } from "../html.js";
import { layout, type View } from "../layout.js";

// The admin pages' frame (a heading and the admin sections' links) and the overview: the figures
// over the last days and now, and the latest audit entries. Counts, states, account addresses and
// fixed codes only: nothing here can hold a secret, a link or a key.

export type AdminSection = "overview" | "accounts" | "mail" | "audit";

/** An admin page: the sections' links, then `main`. */
export function adminLayout(view: View, section: AdminSection, title: string, main: Html): Html {
  const { t } = view;
  const link = (to: AdminSection, path: string, label: string) =>
    html`<a href="${view.href(path)}"${to === section && html` aria-current="page"`}>${label}</a>`;
  const body = html`
<p class="admin-kicker">${t("admin.title")}</p>
<h1>${title}</h1>
<nav class="admin-nav" aria-label="${t("admin.nav.label")}">
  ${link("overview", "/admin", t("admin.nav.overview"))}
  ${link("accounts", "/admin/accounts", t("admin.nav.accounts"))}
  ${link("mail", "/admin/mail", t("admin.nav.mail"))}
  ${link("audit", "/admin/audit", t("admin.nav.audit"))}
</nav>
${main}`;
  return layout(view, { title: `${title} · ${t("admin.title")}`, main: body, wide: true });
}

/** A whole number in the page's language. */
export const count = (view: View, n: number) => new Intl.NumberFormat(view.m.locale).format(n);

/** One table cell, named by its column for the phone layout (as the dashboard's). */
export const cell = (_view: View, column: string, content: Html | string) =>
  html`<td role="cell" data-label="${column}">${content}</td>`;

export function timeOf(view: View, ms: number): Html {
  return html`<time datetime="${new Date(ms).toISOString()}">${view.m.dateTime(ms)}</time>`;
}

export function overviewPage(view: View, data: Overview): Html {
  const { t } = view;
  const { store } = data;
  const kinds: [DailyKind, string][] = [
    ["created", t("admin.figures.created")],
    ["read", t("admin.figures.read")],
    ["burned", t("admin.figures.burned")],
    ["expired", t("admin.figures.expired")],
    ["rate_limited", t("admin.figures.rate_limited")],
  ];
  const total = (kind: DailyKind) => data.days.reduce((sum, d) => sum + d.counts[kind], 0);
  const today = data.days[data.days.length - 1];
  const fact = (label: string, value: Html | string) => html`<dt>${label}</dt><dd>${value}</dd>`;
  const main = html`
<section class="card" aria-labelledby="now-title">
  <h2 id="now-title">${t("admin.now.title")}</h2>
  <dl class="facts">
    ${fact(t("admin.now.secrets"), count(view, store.secrets))}
    ${fact(t("admin.now.receipts"), count(view, store.receipts))}
    ${fact(t("admin.now.accounts"), html`<a href="${view.href("/admin/accounts")}">${count(view, store.accounts)}</a>`)}
    ${fact(t("admin.now.sessions"), count(view, store.sessions))}
    ${fact(t("admin.now.size"), fileSize(store.bytes, view.m.locale))}
    ${fact(t("admin.now.mail"), html`<a href="${view.href("/admin/mail")}">${t("admin.now.mail_counts", { queued: data.queuedMail, failed: data.failedMail })}</a>`)}
    ${fact(t("admin.now.rate_limited"), count(view, today?.counts.rate_limited ?? 0))}
  </dl>
</section>

<section aria-labelledby="days-title">
  <h2 id="days-title">${t("admin.days.title", { count: data.days.length })}</h2>
  <p class="hint">${t("admin.days.hint")}</p>
  <div class="table-wrap" tabindex="0" role="region" aria-labelledby="days-title">
  <table class="receipts admin-table" role="table">
    <thead role="rowgroup"><tr role="row">
      <th scope="col" role="columnheader">${t("admin.days.day")}</th>
      ${kinds.map(([, label]) => html`<th scope="col" role="columnheader">${label}</th>`)}
    </tr></thead>
    <tbody role="rowgroup">
      <tr role="row" class="admin-total">
        ${cell(view, t("admin.days.day"), t("admin.days.total"))}
        ${kinds.map(([kind, label]) => cell(view, label, count(view, total(kind))))}
      </tr>
      ${[...data.days].reverse().map(
        (d) => html`<tr role="row">
        ${cell(view, t("admin.days.day"), html`<time datetime="${d.day}">${d.day}</time>`)}
        ${kinds.map(([kind, label]) => cell(view, label, count(view, d.counts[kind])))}
      </tr>`,
      )}
    </tbody>
  </table>
  </div>
</section>

<section aria-labelledby="recent-title">
  <h2 id="recent-title">${t("admin.recent.title")}</h2>
  ${auditTable(view, data.recent)}
  <p><a href="${view.href("/admin/audit")}">${t("admin.recent.all")}</a></p>
</section>`;
  return adminLayout(view, "overview", t("admin.overview.title"), main);
}

/** Audit entries, as a table; each actor, target and client links to the entries about it. */
export function auditTable(view: View, entries: AuditEntry[]): Html {
  const { t } = view;
  if (entries.length === 0) return html`<p class="card empty">${t("admin.audit.empty")}</p>`;
  const about = (who: string) =>
    who === "" ? "–" : html`<a href="${withQuery(view.href("/admin/audit"), { about: who })}">${who}</a>`;
  const col = {
    at: t("admin.audit.col.at"),
    actor: t("admin.audit.col.actor"),
    action: t("admin.audit.col.action"),
    target: t("admin.audit.col.target"),
    client: t("admin.audit.col.client"),
    outcome: t("admin.audit.col.outcome"),
  };
  const row = (e: AuditEntry) => html`<tr role="row" class="outcome-${e.outcome}">
    ${cell(view, col.at, timeOf(view, e.at))}
    ${cell(view, col.actor, about(e.actor))}
    ${cell(view, col.action, html`${actionLabel(view, e.action as AuditAction)}${e.detail && html` <code>${e.detail}</code>`}`)}
    ${cell(view, col.target, about(e.target))}
    ${cell(view, col.client, e.ip === "" ? "–" : html`<a class="mono" href="${withQuery(view.href("/admin/audit"), { client: e.ip })}">${e.ip.slice(0, 8)}</a>`)}
    ${cell(view, col.outcome, outcomeLabel(view, e.outcome))}
  </tr>`;
  return html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t("admin.nav.audit")}">
  <table class="receipts admin-table" role="table">
    <thead role="rowgroup"><tr role="row">
      ${Object.values(col).map((c) => html`<th scope="col" role="columnheader">${c}</th>`)}
    </tr></thead>
    <tbody role="rowgroup">${entries.map(row)}</tbody>
  </table>
  </div>`;
}

function outcomeLabel(view: View, outcome: AuditEntry["outcome"]): string {
  const { t } = view;
  if (outcome === "ok") return t("admin.outcome.ok");
  return outcome === "denied" ? t("admin.outcome.denied") : t("admin.outcome.failed");
}

/** Each action's words; every key written out, so that the catalogue test sees it in use. */
function actionLabel(view: View, action: AuditAction): string {
  const { t } = view;
  switch (action) {
    case "signin":
      return t("admin.action.signin");
    case "signin_failed":
      return t("admin.action.signin_failed");
    case "api_auth_failed":
      return t("admin.action.api_auth_failed");
    case "account_created":
      return t("admin.action.account_created");
    case "token_created":
      return t("admin.action.token_created");
    case "token_revoked":
      return t("admin.action.token_revoked");
    case "password_changed":
      return t("admin.action.password_changed");
    case "password_reset":
      return t("admin.action.password_reset");
    case "account_deleted":
      return t("admin.action.account_deleted");
    case "admin_denied":
      return t("admin.action.admin_denied");
    case "account_disabled":
      return t("admin.action.account_disabled");
    case "account_enabled":
      return t("admin.action.account_enabled");
    case "sessions_ended":
      return t("admin.action.sessions_ended");
    case "mail_retried":
      return t("admin.action.mail_retried");
    case "audit_exported":
      return t("admin.action.audit_exported");
    default:
      return action;
  }
}
