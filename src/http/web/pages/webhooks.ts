import type { WebhookDeliveryView, WebhookEndpointView } from "../../../actions/webhooks.js";
import { WEBHOOK_EVENTS } from "../../../domain/webhooks.js";
import { type Html, html } from "../html.js";
import { csrfField, layout, type View } from "../layout.js";

export interface WebhooksPageData {
  endpoints: WebhookEndpointView[];
  /** An endpoint just added: its signing secret, shown on this one page view, never again. */
  added: { id: string; secret: string } | null;
  error?: string;
}

const time = (view: View, ms: number) =>
  html`<time datetime="${new Date(ms).toISOString()}">${view.m.dateTime(ms)}</time>`;

/** The account's webhooks (docs/webhooks.md): its endpoints with their delivery logs, and the add form. */
export function webhooksPage(view: View, data: WebhooksPageData): Html {
  const { t } = view;
  const main = html`
<h1>${t("webhooks.title")}</h1>
<p class="lead">${t("webhooks.lead")}</p>
${data.error !== undefined && html`<p class="alert" role="alert">${data.error}</p>`}
${
  data.added !== null &&
  html`<div class="card field new-token">
  <label for="webhook-secret">${t("webhooks.secret")}</label>
  <div class="inline">
    <input id="webhook-secret" class="mono" type="text" readonly value="${data.added.secret}">
    <button type="button" class="js-only" data-copy="webhook-secret" data-done="${t("action.copied")}"
      aria-label="${t("webhooks.secret_copy")}">${t("action.copy")}</button>
  </div>
  <p class="warning" role="note">${t("webhooks.secret_once")}</p>
</div>`
}
${data.endpoints.length === 0 ? html`<p class="card empty">${t("webhooks.empty")}</p>` : data.endpoints.map((e) => endpointCard(view, e))}

<section class="card" aria-labelledby="add-title">
  <h2 id="add-title">${t("webhooks.add.title")}</h2>
  <form method="post" action="${view.href("/account/webhooks")}">
    ${csrfField(view)}
    <div class="field">
      <label for="webhook-url">${t("webhooks.add.url")}</label>
      <input type="url" id="webhook-url" name="url" required placeholder="https://" autocomplete="off">
    </div>
    <fieldset class="field">
      <legend>${t("webhooks.add.events")}</legend>
      ${WEBHOOK_EVENTS.map(
        (e) =>
          html`<label class="check"><input type="checkbox" name="events" value="${e}" checked> <code>${e}</code></label>`,
      )}
    </fieldset>
    <button type="submit" class="primary">${t("webhooks.add.submit")}</button>
  </form>
</section>
<p><a href="${view.href("/account")}">${t("webhooks.back")}</a></p>`;
  return layout(view, { title: t("webhooks.title"), main });
}

function stateOf(view: View, state: WebhookDeliveryView["state"]): string {
  if (state === "delivered") return view.t("webhooks.state.delivered");
  return state === "failed" ? view.t("webhooks.state.failed") : view.t("webhooks.state.queued");
}

function endpointCard(view: View, e: WebhookEndpointView): Html {
  const { t } = view;
  return html`<section class="card" aria-label="${e.url}">
  <h2 class="mono">${e.url}</h2>
  <p>${t("webhooks.events")} ${e.events.map((ev, i) => html`${i > 0 && ", "}<code>${ev}</code>`)}</p>
  ${
    e.log.length === 0
      ? html`<p class="hint">${t("webhooks.log.empty")}</p>`
      : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t("webhooks.log.title")}">
  <table class="receipts">
    <caption>${t("webhooks.log.title")}</caption>
    <thead><tr>
      <th scope="col">${t("webhooks.log.event")}</th><th scope="col">${t("webhooks.log.state")}</th>
      <th scope="col">${t("webhooks.log.attempts")}</th><th scope="col">${t("webhooks.log.status")}</th>
      <th scope="col">${t("webhooks.log.error")}</th><th scope="col">${t("webhooks.log.time")}</th>
    </tr></thead>
    <tbody>${e.log.map(
      (d) => html`<tr>
      <td><code>${d.type}</code></td><td>${stateOf(view, d.state)}</td><td>${d.attempts}</td>
      <td>${d.lastStatus ?? "—"}</td><td>${d.lastError === null ? "—" : html`<code>${d.lastError}</code>`}</td>
      <td>${time(view, d.updatedAt)}</td>
    </tr>`,
    )}</tbody>
  </table>
  </div>`
  }
  <form method="post" action="${view.href("/account/webhooks/remove")}">
    ${csrfField(view)}<input type="hidden" name="id" value="${e.id}">
    <button type="submit" class="danger">${t("webhooks.remove")}</button>
  </form>
</section>`;
}
