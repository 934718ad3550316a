import type { ReceiptView } from "../../../actions/receipt-view.js";
import { withQuery } from "../context.js";
import { type Html, html } from "../html.js";
import { layout, type View } from "../layout.js";
import { mailLine, stateBadge } from "./receipt.js";

/** The signed-in user's secrets of the last 30 days, newest first: the data of v1 `recent`. */
export function dashboardPage(view: View, { receipts }: { receipts: ReceiptView[] }): Html {
  const { t, m } = view;
  const row = ({ receipt, metadataKey, mail }: ReceiptView) => {
    const live = receipt.state === "new" || receipt.state === "viewed";
    const receiptPath = view.href(`/receipt/${metadataKey}`);
    // The burn confirmation comes back here afterwards.
    const burnPath = withQuery(view.href(`/receipt/${metadataKey}/burn`), { next: "/dashboard" });
    return html`<tr>
      <td>${stateBadge(view, receipt, receipt.state)}</td>
      <td><time datetime="${new Date(receipt.createdAt).toISOString()}">${m.dateTime(receipt.createdAt)}</time></td>
      <td>${live ? html`<time datetime="${new Date(receipt.secretExpiresAt).toISOString()}">${m.dateTime(receipt.secretExpiresAt)}</time>` : "–"}</td>
      <td>${receipt.recipients.length > 0 ? receipt.recipients.join(", ") : "–"}</td>
      <td${mail !== undefined && html` class="mail-${mail?.state ?? "none"}"`}>${mail === undefined ? "–" : mailLine(view, mail)}</td>
      <td class="row-actions">
        <a href="${receiptPath}">${t("dashboard.receipt")}</a>
        ${live && html`<a class="button danger small" href="${burnPath}">${t("dashboard.burn")}</a>`}
      </td>
    </tr>`;
  };
  const main = html`
<h1>${t("dashboard.title")}</h1>
<p class="lead">${t("dashboard.lead")}</p>
<p><a class="button primary" href="${view.href("/")}">${t("action.new_secret")}</a></p>
${
  receipts.length === 0
    ? html`<p class="card empty">${t("dashboard.empty")}</p>`
    : html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="dashboard-caption">
<table class="receipts">
  <caption id="dashboard-caption" class="visually-hidden">${t("dashboard.title")}</caption>
  <thead><tr>
    <th scope="col">${t("dashboard.col.state")}</th>
    <th scope="col">${t("dashboard.col.created")}</th>
    <th scope="col">${t("dashboard.col.expires")}</th>
    <th scope="col">${t("dashboard.col.recipient")}</th>
    <th scope="col">${t("dashboard.col.mail")}</th>
    <th scope="col"><span class="visually-hidden">${t("dashboard.col.actions")}</span></th>
  </tr></thead>
  <tbody>
  ${receipts.map(row)}
  </tbody>
</table>
</div>`
}`;
  return layout(view, { title: t("dashboard.title"), main, wide: true });
}
