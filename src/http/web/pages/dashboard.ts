import { type ReceiptView, viewsUsed } from "../../../domain/receipt.js";
import { withQuery } from "../context.js";
import { type Html, html } from "../html.js";
import { layout, type View } from "../layout.js";
import { mailLine, stateBadge } from "./receipt.js";

/**
 * The signed-in user's secrets of the last 30 days, newest first: the data of v1 `recent`. A table
 * on wide screens; on a phone each row is a card whose cells carry their column's name (data-label,
 * shown by the style sheet) and empty cells ("–") are left out there. The explicit roles keep it a
 * table for screen readers when the style sheet displays its parts as blocks (some browsers drop
 * the semantics of a restyled table).
 */
export function dashboardPage(
  view: View,
  { receipts, requestForm, requests }: { receipts: ReceiptView[]; requestForm?: Html; requests?: Html },
): Html {
  const { t, m } = view;
  /** One cell, named by its column for the phone layout; "empty" marks a "–". */
  const cell = (column: string, content: Html | string, className = "") => {
    const classes = [content === "–" ? "empty" : "", className].filter((c) => c !== "").join(" ");
    return html`<td role="cell" data-label="${t(column)}"${classes && html` class="${classes}"`}>${content}</td>`;
  };
  const row = (receipt: ReceiptView) => {
    const { live, metadataKey, mail } = receipt;
    const receiptPath = view.href(`/receipt/${metadataKey}`);
    // The burn confirmation comes back here afterwards.
    const burnPath = withQuery(view.href(`/receipt/${metadataKey}/burn`), { next: "/dashboard" });
    const date = (ms: number) =>
      html`<time datetime="${new Date(ms).toISOString()}">${m.dateTime(ms)}</time>`;
    return html`<tr role="row">
      ${cell("dashboard.col.state", stateBadge(view, receipt))}
      ${cell("dashboard.col.created", date(receipt.createdAt))}
      ${cell("dashboard.col.expires", live ? date(receipt.secretExpiresAt) : "–")}
      ${cell("dashboard.col.views", t("dashboard.views", { used: viewsUsed(receipt), views: receipt.views }))}
      ${cell("dashboard.col.recipient", receipt.recipients.length > 0 ? receipt.recipients.join(", ") : "–")}
      ${mail === undefined ? cell("dashboard.col.mail", "–") : cell("dashboard.col.mail", mailLine(view, mail), `mail-${mail?.state ?? "none"}`)}
      <td role="cell" class="row-actions">
        <a href="${receiptPath}">${t("dashboard.receipt")}</a>
        ${live && html`<a class="button danger small" href="${burnPath}">${t("dashboard.burn")}</a>`}
      </td>
    </tr>`;
  };
  const main = html`
<h1>${t("dashboard.title")}</h1>
<p class="lead">${t("dashboard.lead")}</p>
<p><a class="button primary" href="${view.href("/")}">${t("action.new_secret")}</a></p>
${requestForm}
${requests}
${
  receipts.length === 0
    ? html`<p class="card empty">${t("dashboard.empty")}</p>`
    : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="dashboard-caption">
<table class="receipts" role="table">
  <caption id="dashboard-caption" class="visually-hidden">${t("dashboard.title")}</caption>
  <thead role="rowgroup"><tr role="row">
    <th scope="col" role="columnheader">${t("dashboard.col.state")}</th>
    <th scope="col" role="columnheader">${t("dashboard.col.created")}</th>
    <th scope="col" role="columnheader">${t("dashboard.col.expires")}</th>
    <th scope="col" role="columnheader">${t("dashboard.col.views")}</th>
    <th scope="col" role="columnheader">${t("dashboard.col.recipient")}</th>
    <th scope="col" role="columnheader">${t("dashboard.col.mail")}</th>
    <th scope="col" role="columnheader"><span class="visually-hidden">${t("dashboard.col.actions")}</span></th>
  </tr></thead>
  <tbody role="rowgroup">
  ${receipts.map(row)}
  </tbody>
</table>
</div>`
}`;
  return layout(view, { title: t("dashboard.title"), main, wide: true });
}
