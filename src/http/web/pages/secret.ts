import { type Html, html, textareaContent } from "../html.js";
import { csrfField, layout, type View } from "../layout.js";

/** A client-encrypted secret's passphrase parameters (base64url salt), or null without a passphrase. */
export interface ClientKdf {
  salt: string;
  iterations: number;
}

/**
 * The confirmation step: a GET shows this and consumes nothing; only its POST reveals. For a secret
 * encrypted in its sender's browser (`client` set), the page script reveals and decrypts in place
 * (web/zk-reveal.ts) with the key from the link's fragment; without JavaScript the page says why it
 * cannot be read here.
 */
export function confirmPage(
  view: View,
  {
    secretKey,
    hasPassphrase,
    client = null,
    error,
  }: { secretKey: string; hasPassphrase: boolean; client?: { kdf: ClientKdf | null } | null; error?: string },
): Html {
  const { t } = view;
  const kdf = client?.kdf ?? null;
  const zk =
    client !== null &&
    html` data-zk-reveal data-zk-no-key="${t("zk.reveal.no_key")}" data-zk-bad-key="${t("zk.reveal.bad_key")}"
    data-zk-wrong="${kdf === null ? t("zk.reveal.wrong_key") : t("zk.reveal.wrong_passphrase")}"
    data-zk-failed="${t("zk.reveal.failed")}"${kdf !== null && html` data-zk-salt="${kdf.salt}" data-zk-iterations="${kdf.iterations}"`}`;
  const main = html`
<h1>${t("secret.title")}</h1>
<p class="lead">${t("secret.lead")}</p>
${error && html`<p class="alert" role="alert" id="reveal-error">${error}</p>`}
${client !== null && html`<noscript><p class="warning" role="note">${t("zk.reveal.needs_js")}</p></noscript>`}
<form method="post" action="${view.href(`/secret/${secretKey}`)}" class="card reveal"${zk}>
  ${csrfField(view)}
  ${
    hasPassphrase &&
    html`<div class="field">
    <label for="passphrase">${t("secret.passphrase")}</label>
    <input type="password" id="passphrase" name="passphrase" autocomplete="off" required${error && html` aria-describedby="reveal-error" autofocus`}>
    <p class="hint">${t("secret.passphrase.hint")}</p>
  </div>`
  }
  <button type="submit" class="primary">${t("secret.reveal")}</button>
</form>
<p class="hint">${t("secret.later")}</p>
${client !== null && html`<template id="zk-revealed" data-title="${t("revealed.title")} · ${t("site.name")}">${revealedMain(view, "")}</template>`}`;
  return layout(view, { title: t("secret.title"), main });
}

/** The revealed text. The secret is gone from the store: this response is the only copy. */
export function revealedPage(view: View, { value }: { value: string }): Html {
  const { t } = view;
  return layout({ ...view, preserve: true }, { title: t("revealed.title"), main: revealedMain(view, value) });
}

/** The revealed page's content: served with the text, or filled in by the page script (client secrets). */
function revealedMain({ t }: View, value: string): Html {
  const rows = Math.min(Math.max(value.split("\n").length, 2), 16);
  return html`
<h1>${t("revealed.title")}</h1>
<section class="card">
  <label for="revealed">${t("revealed.label")}</label>
  <textarea id="revealed" class="mono" readonly rows="${rows}" spellcheck="false">${textareaContent(value)}</textarea>
  <div class="actions">
    <button type="button" class="primary js-only" data-copy="revealed" data-done="${t("action.copied")}"
      aria-label="${t("revealed.copy")}">${t("action.copy")}</button>
  </div>
</section>
<p class="notice" role="status">${t("revealed.destroyed")}</p>`;
}

/** One page for unknown, read, burned and expired: it never says which. */
export function unavailablePage(view: View): Html {
  const { t } = view;
  const main = html`
<h1>${t("unavailable.title")}</h1>
<p class="lead">${t("unavailable.lead")}</p>
<ul class="reasons">
  <li>${t("unavailable.reason.read")}</li>
  <li>${t("unavailable.reason.burned")}</li>
  <li>${t("unavailable.reason.expired")}</li>
  <li>${t("unavailable.reason.mistyped")}</li>
</ul>
<p>${t("unavailable.next")}</p>
<p><a class="button primary" href="${view.href("/")}">${t("action.new_secret")}</a></p>`;
  return layout(view, { title: t("unavailable.title"), main });
}

/** Any other problem (rate limit, expired form, store down, bad request), in plain words. */
export function messagePage(view: View, { title, body }: { title: string; body: string }): Html {
  const main = html`
<h1>${title}</h1>
<p class="lead">${body}</p>
<p><a class="button" href="${view.href("/")}">${view.t("action.home")}</a></p>`;
  return layout(view, { title, main });
}
