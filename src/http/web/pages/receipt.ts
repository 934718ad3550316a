import {
  type MailView,
  type ReceiptState,
  type ReceiptView,
  stateTime,
  viewsLeft,
  viewsUsed,
} from "../../../domain/receipt.js";
import { type Html, html } from "../html.js";
import { csrfField, layout, type View } from "../layout.js";
import { qrSvg } from "../qr.js";

export interface ReceiptPageData {
  receipt: ReceiptView;
  /** The link to share: set while the receipt is live. */
  shareUrl: string | null;
  /** A generated password, on the one page view right after it was made. */
  generated: string | null;
  /**
   * Encrypted in the creator's browser: the server has no key to put in the link, so the page script
   * adds it from the creating tab's sessionStorage (web/zk-create.ts) and there is no QR code.
   */
  clientEncrypted: boolean;
}

/** The creator's private page: the link to send, the state, the countdown, the burn button. */
export function receiptPage(view: View, data: ReceiptPageData): Html {
  const { t, m } = view;
  const { receipt, shareUrl } = data;
  // Live with no link to share: its key did not open (see showReceipt), so nothing can be done here.
  const live = receipt.live && shareUrl !== null;
  const state = receipt.live && !live ? "orphaned" : receipt.state;

  const titles: Partial<Record<ReceiptState, string>> = {
    received: t("receipt.title.received"),
    burned: t("receipt.title.burned"),
    expired: t("receipt.title.expired"),
  };
  const title = live ? t("receipt.title.live") : (titles[state] ?? t("receipt.title.gone"));
  const main = html`
<h1>${title}</h1>
${
  shareUrl !== null &&
  html`<section class="card share" aria-labelledby="share-label"${data.clientEncrypted && html` data-zk-receipt="${receipt.metadataKey}"`}>
  <label id="share-label" for="share-link">${t("receipt.share.label")}</label>
  <div class="inline">
    <input id="share-link" class="mono" type="text" readonly value="${shareUrl}">
    <button type="button" class="js-only" data-copy="share-link" data-done="${t("action.copied")}"
      aria-label="${t("receipt.share.copy")}">${t("action.copy")}</button>
  </div>
  <p class="hint">${receipt.views > 1 ? t("receipt.share.hint.views", { count: viewsLeft(receipt) }) : t("receipt.share.hint")}</p>
  ${
    data.clientEncrypted
      ? html`<p class="warning zk-missing" role="note">${t("receipt.zk.missing")}</p>`
      : html`<figure class="qr-box">${qrSvg(shareUrl, { label: t("receipt.qr.label") })}<figcaption>${t("receipt.qr.caption")}</figcaption></figure>`
  }
</section>`
}
${
  // Filled in by the page script when this tab generated the password (client-encrypted secrets).
  live && data.clientEncrypted && html`<template id="zk-generated">${generatedBox(view, "")}</template>`
}
${live && data.generated !== null && generatedBox(view, data.generated)}
<dl class="facts">
  <dt>${t("receipt.fact.state")}</dt><dd>${stateBadge(view, receipt)}</dd>
  ${
    live &&
    html`<dt>${t("receipt.fact.expires")}</dt>
  <dd><time datetime="${new Date(receipt.secretExpiresAt).toISOString()}" data-countdown
    data-expired="${t("receipt.countdown.expired")}" data-left="${t("receipt.countdown.left", { time: "{time}" })}">${m.timeLeft(receipt.secretExpiresAt, view.now)}</time>
    <span class="hint">(${m.dateTime(receipt.secretExpiresAt)})</span></dd>`
  }
  ${receipt.views > 1 && viewFacts(view, receipt)}
  <dt>${t("receipt.fact.encryption")}</dt><dd class="encryption">${data.clientEncrypted ? t("receipt.encryption.client") : t("receipt.encryption.server")}</dd>
  <dt>${t("receipt.fact.passphrase")}</dt><dd>${receipt.hasPassphrase ? t("receipt.passphrase.yes") : t("receipt.passphrase.no")}</dd>
  <dt>${t("receipt.fact.created")}</dt><dd><time datetime="${new Date(receipt.createdAt).toISOString()}">${m.dateTime(receipt.createdAt)}</time></dd>
  ${receipt.recipients.length > 0 && html`<dt>${t("receipt.fact.recipients")}</dt><dd>${receipt.recipients.join(", ")}</dd>`}
  ${receipt.mail !== undefined && html`<dt>${t("receipt.fact.mail")}</dt><dd class="mail-${receipt.mail?.state ?? "none"}">${mailLine(view, receipt.mail)}</dd>`}
</dl>
${
  live &&
  html`<p class="warning" role="note"><strong>${t("receipt.private.title")}</strong> ${t("receipt.private.body")}</p>
<p><a class="button danger" href="${view.href(`/receipt/${receipt.metadataKey}/burn`)}">${t("receipt.burn")}</a></p>`
}
${!live && html`<p><a class="button primary" href="${view.href("/")}">${t("action.new_secret")}</a></p>`}
${!live && data.clientEncrypted && html`<span hidden data-zk-spent="${receipt.metadataKey}"></span>`}
`;
  return layout(view, { title, main });
}

/** A link for several readers: its views used and left, and when each was read (oldest first). */
function viewFacts({ t, m }: View, receipt: ReceiptView): Html {
  const counts = { used: viewsUsed(receipt), views: receipt.views, left: viewsLeft(receipt) };
  return html`<dt>${t("receipt.fact.views")}</dt><dd class="views">${t("receipt.views.count", counts)}</dd>
  ${
    receipt.readTimes.length > 0 &&
    html`<dt>${t("receipt.fact.read")}</dt><dd><ol class="read-times">${receipt.readTimes.map(
      (at) => html`<li><time datetime="${new Date(at).toISOString()}">${m.dateTime(at)}</time></li>`,
    )}</ol></dd>`
  }`;
}

function generatedBox({ t }: View, value: string): Html {
  return html`<section class="card generated" aria-labelledby="generated-label">
  <label id="generated-label" for="generated">${t("receipt.generated.label")}</label>
  <div class="inline">
    <input id="generated" class="mono" type="text" readonly value="${value}">
    <button type="button" class="js-only" data-copy="generated" data-done="${t("action.copied")}"
      aria-label="${t("receipt.generated.copy")}">${t("action.copy")}</button>
  </div>
  <p class="hint">${t("receipt.generated.hint")}</p>
</section>`;
}

/** The receipt's state in words, with the moment a final state names, as a badge (also on the dashboard). */
export function stateBadge({ t, m }: View, receipt: ReceiptView): Html {
  const at = stateTime(receipt);
  const date = { date: at === null ? "" : m.dateTime(at) };
  const status: Record<ReceiptState, string> = {
    new: t("state.new"),
    viewed: t("state.viewed"),
    received: t("state.received", date),
    burned: t("state.burned", date),
    expired: t("state.expired", date),
    orphaned: t("state.orphaned"),
  };
  return html`<span class="badge state-${receipt.state}">${status[receipt.state]}</span>`;
}

/** Where the recipient's email is: never silently dropped, as upstream's were. */
export function mailLine({ t, m }: View, mail: MailView | null): string {
  if (mail === null) return t("mail.state.none");
  const error = mail.lastError ?? "";
  if (mail.state === "sent") return t("mail.state.sent", { date: m.dateTime(mail.updatedAt) });
  if (mail.state === "failed") return t("mail.state.failed", { count: mail.attempts, error });
  return mail.attempts === 0
    ? t("mail.state.queued")
    : t("mail.state.retrying", { attempts: mail.attempts, error });
}

/**
 * What burning asks for: nothing (no passphrase), the passphrase (whoever holds the receipt link, as
 * upstream), or nothing because the secret's creator is signed in (they may have forgotten it).
 */
export type BurnGate = "none" | "passphrase" | "owner";

/** Asks before burning, and for the passphrase when the gate says so; the page says which rule applies. */
export function burnPage(
  view: View,
  {
    metadataKey,
    gate,
    next,
    error,
  }: { metadataKey: string; gate: BurnGate; next?: string | undefined; error?: string },
): Html {
  const { t } = view;
  const main = html`
<h1>${t("burn.title")}</h1>
<p class="lead">${t("burn.lead")}</p>
${error && html`<p class="alert" role="alert">${error}</p>`}
<form method="post" action="${view.href(`/receipt/${metadataKey}/burn`)}" class="card">
  ${csrfField(view)}${next !== undefined && html`<input type="hidden" name="next" value="${next}">`}
  ${
    gate === "passphrase" &&
    html`<div class="field">
    <label for="passphrase">${t("burn.passphrase")}</label>
    <input type="password" id="passphrase" name="passphrase" autocomplete="off" required aria-describedby="burn-rule">
    <p class="hint" id="burn-rule">${t("burn.passphrase.rule")}${view.auth.signin && ` ${t("burn.passphrase.signin")}`}</p>
  </div>`
  }
  ${gate === "owner" && html`<p class="hint burn-owner">${t("burn.owner")}</p>`}
  <div class="actions">
    <button type="submit" class="danger">${t("burn.confirm")}</button>
    <a class="button ghost" href="${view.href(next ?? `/receipt/${metadataKey}`)}">${t("action.cancel")}</a>
  </div>
</form>`;
  return layout(view, { title: t("burn.title"), main });
}
