import { fileSize } from "../../../i18n/file-size.js";
import { type Html, html, textareaContent } from "../html.js";
import { brandText, csrfField, layout, siteName, type View } from "../layout.js";

/** How long a revealed file waits for its one download (actions/pickup.ts), in minutes for the page. */
export interface FileOffer {
  name: string;
  size: number;
  /** The pickup's key: the download form posts it once. */
  pickup: string;
  minutes: number;
}

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
    hasFile = false,
    client = null,
    viewsLeft = 1,
    error,
  }: {
    secretKey: string;
    hasPassphrase: boolean;
    /** Said before the reveal; the download is offered only after it. */
    hasFile?: boolean;
    client?: { kdf: ClientKdf | null } | null;
    /** The views the link still allows, this reveal included. */
    viewsLeft?: number;
    error?: string;
  },
): Html {
  const { t } = view;
  const kdf = client?.kdf ?? null;
  const note = brandText(view, "revealNote");
  const zk =
    client !== null &&
    html` data-zk-reveal data-zk-no-key="${t("zk.reveal.no_key")}" data-zk-bad-key="${t("zk.reveal.bad_key")}"
    data-zk-wrong="${kdf === null ? t("zk.reveal.wrong_key") : t("zk.reveal.wrong_passphrase")}"
    data-zk-failed="${t("zk.reveal.failed")}"${kdf !== null && html` data-zk-salt="${kdf.salt}" data-zk-iterations="${kdf.iterations}"`}`;
  const main = html`
<h1>${t("secret.title")}</h1>
<p class="lead">${viewsLeft > 1 ? t("secret.lead.views", { count: viewsLeft }) : t("secret.lead")}</p>${
    note !== null &&
    html`
<p class="brand-note">${note}</p>`
  }
${hasFile && html`<p class="notice file-note">${t("secret.file")}</p>`}
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
${client !== null && html`<template id="zk-revealed" data-title="${t("revealed.title")} · ${siteName(view)}">${revealedMain(view, "", "script", 0)}</template>`}`;
  return layout(view, { title: t("secret.title"), main });
}

/**
 * The revealed text, a file's name and size with its download button, and whether the link still
 * works after this reader. After the last view the secret is gone from the store: this response is
 * the only copy of the text, and the file waits for one download.
 */
export function revealedPage(
  view: View,
  {
    value,
    file = null,
    fileLost = false,
    viewsLeft,
  }: { value: string; file?: FileOffer | null; fileLost?: boolean; viewsLeft: number },
): Html {
  const { t } = view;
  const lost = html`<p class="alert" role="alert">${t("revealed.file.lost")}</p>`;
  const main = html`${fileLost && lost}${revealedMain(view, value, file, viewsLeft)}`;
  return layout({ ...view, preserve: true }, { title: t("revealed.title"), main });
}

/**
 * The revealed page's content: served with the text (and a file's pickup), or filled in by the page
 * script (client secrets: "script", whose file section it fills and shows when there is a file, and
 * whose views line it rewrites from the reveal's answer with the words given here).
 */
function revealedMain(view: View, value: string, file: FileOffer | null | "script", viewsLeft: number): Html {
  const { t } = view;
  const rows = Math.min(Math.max(value.split("\n").length, 2), 16);
  // A file sent without a text shows the file alone.
  const textShown = value !== "" || file === null || file === "script";
  return html`
<h1>${t("revealed.title")}</h1>
${file !== null && fileSection(view, file)}
<section class="card revealed-text"${!textShown && html` hidden`}>
  <label for="revealed">${t("revealed.label")}</label>
  <textarea id="revealed" class="mono" readonly rows="${rows}" spellcheck="false">${textareaContent(value)}</textarea>
  <div class="actions">
    <button type="button" class="primary js-only" data-copy="revealed" data-done="${t("action.copied")}"
      aria-label="${t("revealed.copy")}">${t("action.copy")}</button>
  </div>
</section>
<p class="notice" role="status" id="revealed-views" data-one="${t("revealed.views.one")}"${moreForms(view)}>${viewsLine(t, viewsLeft)}</p>`;
}

/** The page script's "n more times" line: one data-more-<category> attribute per plural form. */
function moreForms(view: View): Html[] {
  const forms = view.m.forms("revealed.views.more");
  return Object.entries(forms).map(([category, text]) => html` data-more-${category}="${text}"`);
}

/** Whether the link works again: how many more times, or that this was its last view. */
function viewsLine(t: View["t"], viewsLeft: number): string {
  if (viewsLeft === 1) return t("revealed.views.one");
  if (viewsLeft > 1) return t("revealed.views.more", { count: viewsLeft });
  return `${t("revealed.views.last")} ${t("revealed.destroyed")}`;
}

/**
 * A revealed file: its name and size, and the way to save it. A server secret's file is downloaded
 * once through its pickup (a POST, so link scanners cannot spend it; in a new tab, so that a second
 * press, whose answer is a page, leaves this one and its text in place). A client secret's file is
 * decrypted in this page, which the script turns into a download link.
 */
function fileSection(view: View, file: FileOffer | "script"): Html {
  const { t } = view;
  const script = file === "script";
  const save = script
    ? html`<p class="actions"><a class="button primary" id="file-download" href="#" download="">${t("revealed.file.download")}</a></p>
  <p class="hint">${t("revealed.file.local")}</p>`
    : html`<form method="post" action="${view.href("/secret/download")}" target="_blank" class="download">
    ${csrfField(view)}
    <input type="hidden" name="pickup" value="${file.pickup}">
    <p class="actions"><button type="submit" class="primary" data-started="${t("revealed.file.started")}">${t("revealed.file.download")}</button></p>
  </form>
  <p class="hint" id="download-hint" aria-live="polite">${t("revealed.file.once", { count: file.minutes })}</p>`;
  return html`<section class="card revealed-file" aria-labelledby="file-label"${script && html` hidden`}>
  <h2 id="file-label">${t("revealed.file.label")}</h2>
  <p class="file-name"><span class="mono" id="file-name">${script ? "" : file.name}</span> · <span id="file-size">${script ? "" : fileSize(file.size, view.m.locale)}</span></p>
  ${save}
</section>`;
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
