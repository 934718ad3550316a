import type { RequestState, RequestView } from "../../../actions/requests.js";
import { type Html, html } from "../html.js";
import type { View } from "../layout.js";
import { stateBadge } from "./receipt.js";

/**
 * The dashboard's secret requests (listRequests, as v2 GET /requests): each one's note, state and
 * answers used of max, and each answer's receipt (short id, state, read times). The request links to
 * its requester page without the private key: only the requester link kept at creation opens answers.
 */
export function dashboardRequests(view: View, requests: RequestView[]): Html {
  const { t, m } = view;
  const states: Record<RequestState, string> = {
    open: t("dashboard.requests.state.open"),
    used: t("dashboard.requests.state.used"),
    closed: t("dashboard.requests.state.closed"),
    expired: t("dashboard.requests.state.expired"),
  };
  const date = (ms: number) => html`<time datetime="${new Date(ms).toISOString()}">${m.dateTime(ms)}</time>`;
  const answer = (a: RequestView["answers"][number]) => html`<li class="request-receipt">
  <span class="mono">${a.shortId}</span> ${stateBadge(view, a.receipt)}
  ${
    a.receipt.readTimes.length > 0 &&
    html`<span class="read-times">${t("dashboard.requests.read")} ${a.receipt.readTimes.map(
      (at, i) => html`${i > 0 && ", "}${date(at)}`,
    )}</span>`
  }
</li>`;
  const item = (r: RequestView) => html`<li class="card request-item">
  <p><a class="request-note" href="${view.href(`/requester/${r.manageKey}`)}">${r.note}</a></p>
  <p><span class="badge request-state-${r.state}">${states[r.state]}</span>
    <span class="request-count">${t("request.requester.used", { used: r.answersUsed, max: r.answersMax })}</span>
    · ${date(r.createdAt)}</p>
  ${r.answers.length > 0 && html`<ul class="request-receipts">${r.answers.map(answer)}</ul>`}
</li>`;
  return html`<section class="dashboard-requests" aria-labelledby="dashboard-requests-title">
<h2 id="dashboard-requests-title">${t("dashboard.requests.title")}</h2>
<p class="hint">${t("dashboard.requests.lead")}</p>
${
  requests.length === 0
    ? html`<p class="card empty">${t("dashboard.requests.empty")}</p>`
    : html`<ul class="request-list">${requests.map(item)}</ul>`
}
</section>`;
}
