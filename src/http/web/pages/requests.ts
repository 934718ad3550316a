import type { RequestState, RequestView } from "../../../actions/requests.js";
import { type Html, html } from "../html.js";
import { csrfField, layout, type View } from "../layout.js";

// Secret requests on the web (docs/requests.md, docs/web.md): the dashboard's form, the request
// link's page (the sender's) and the requester link's page. Every key pair and every seal is the page
// script's (web/requests.ts): without JavaScript each form says it needs it.

/** The dashboard's "Request a secret" form: the page script adds the public key and shows both links. */
export function requestForm(view: View, { options, ttl }: { options: number[]; ttl: number }): Html {
  const { t } = view;
  return html`<section class="card request-new" aria-labelledby="request-new-title">
<h2 id="request-new-title">${t("request.new.title")}</h2>
<p>${t("request.new.lead")}</p>
<noscript><p class="alert">${t("request.needs_js")}</p></noscript>
<form method="post" action="${view.href("/request")}" class="request-new" data-request-new data-failed="${t("request.failed")}">
  ${csrfField(view)}
  <label for="request-note">${t("request.note.label")}</label>
  <textarea id="request-note" name="note" rows="2" maxlength="500" required></textarea>
  <label for="request-ttl">${t("home.ttl.label")}</label>
  <select id="request-ttl" name="ttl">
    ${options.map((s) => html`<option value="${s}"${s === ttl && html` selected`}>${view.m.duration(s)}</option>`)}
  </select>
  <label for="request-answers">${t("request.answers.label")}</label>
  <input id="request-answers" name="answers" type="number" min="1" max="20" value="1" required>
  <button type="submit" class="primary" disabled data-needs-js>${t("request.new.submit")}</button>
</form>
<div id="request-links" hidden>
  <label for="request-link">${t("request.link.label")}</label>
  <input id="request-link" readonly>
  <label for="requester-link">${t("request.requester_link.label")}</label>
  <input id="requester-link" readonly>
  <p>${t("request.requester_link.help")}</p>
</div>
</section>`;
}

function stateLine(view: View, state: RequestState): Html {
  const { t } = view;
  if (state === "used") return html`<p class="alert" id="request-state">${t("request.state.used")}</p>`;
  if (state === "closed") return html`<p class="alert" id="request-state">${t("request.state.closed")}</p>`;
  if (state === "expired") return html`<p class="alert" id="request-state">${t("request.state.expired")}</p>`;
  return html``;
}

/** The request link's page: the note (escaped) and, while open, the form the page script seals. */
export function answerPage(view: View, { note, state }: { note: string; state: RequestState }): Html {
  const { t } = view;
  const form =
    state === "open"
      ? html`<noscript><p class="alert">${t("request.needs_js")}</p></noscript>
<form method="post" action="${view.path}/answer" class="request-answer" data-request-answer data-failed="${t("request.failed")}" data-bad-key="${t("request.bad_key")}">
  ${csrfField(view)}
  <label for="answer-text">${t("request.answer.label")}</label>
  <textarea id="answer-text" name="secret" rows="6" required></textarea>
  <button type="submit" class="primary" disabled data-needs-js>${t("request.answer.submit")}</button>
</form>
<p id="answer-sent" class="notice" role="status" hidden>${t("request.answer.sent")}</p>`
      : stateLine(view, state);
  const main = html`<h1>${t("request.answer.title")}</h1>
<p class="lead">${t("request.answer.lead")}</p>
<blockquote class="card request-note" id="request-note">${note}</blockquote>
${form}`;
  return layout(view, { title: t("request.answer.title"), main });
}

/** The requester link's page: the answers, each opened by the page script with the fragment's key. */
export function requesterPage(
  view: View,
  { request, error }: { request: RequestView; error?: string },
): Html {
  const { t, m } = view;
  const answer = (a: RequestView["answers"][number], i: number) => {
    const secretKey = a.receipt.secretKey;
    return html`<li class="card request-answer-item" data-sender="${a.senderKey}"${secretKey !== null && html` data-secret="${secretKey}"`}>
  <p><time datetime="${new Date(a.createdAt).toISOString()}">${m.dateTime(a.createdAt)}</time></p>
  ${
    secretKey === null
      ? html`<p>${t("request.answer.gone")}</p>`
      : html`<button type="button" class="primary" data-open-answer disabled data-needs-js>${t("request.answer.open")}</button>
  <label for="answer-${i}" hidden>${t("request.answer.label")}</label>
  <textarea id="answer-${i}" class="answer-text" readonly hidden></textarea>`
  }
</li>`;
  };
  const main = html`<h1>${t("request.requester.title")}</h1>
${error !== undefined && html`<p class="alert" id="form-error" role="alert">${error}</p>`}
<blockquote class="card request-note">${request.note}</blockquote>
${stateLine(view, request.state)}
<p>${t("request.requester.used", { used: request.answersUsed, max: request.answersMax })}</p>
<noscript><p class="alert">${t("request.needs_js")}</p></noscript>
<div data-requester data-csrf="${view.csrf}" data-failed="${t("request.open_failed")}">
${
  request.answers.length === 0
    ? html`<p class="card empty">${t("request.requester.empty")}</p>`
    : html`<ol class="request-answers">${request.answers.map(answer)}</ol>`
}
</div>
${
  request.state === "open" &&
  html`<form method="post" action="${view.path}/close" class="request-close">
  ${csrfField(view)}
  <button type="submit" class="button danger">${t("request.close")}</button>
</form>`
}`;
  return layout(view, { title: t("request.requester.title"), main });
}
