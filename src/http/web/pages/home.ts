import type { Config } from "../../../config.js";
import type { PasswordRules } from "../../../domain/password.js";
import { effectiveTtl } from "../../../domain/policy.js";
import { fileSize } from "../../../i18n/file-size.js";
import { type Html, html, textareaContent } from "../html.js";
import { brandText, csrfField, layout, type View } from "../layout.js";

export interface HomeForm {
  mode: "text" | "generate";
  secret: string;
  passphrase: string;
  ttl: number;
  /** Where to email the link (signed-in users only); "" for nobody. */
  recipient: string;
  /** A file came with the form that comes back: the page cannot keep it, so it asks for it again. */
  fileLost: boolean;
  /** How many times the link may be opened, as typed ("" is 1). */
  views: string;
  /** Mail the creator when it is read, burned or expires unread (docs/notifications.md). */
  notify: boolean;
  /** The host the link names (share_domain): the site's own or one of SHARE_DOMAINS. */
  shareDomain: string;
}

/**
 * The lifetimes offered: TTL_OPTIONS within [TTL_MIN, the caller's ceiling], and always the lifetime
 * the API gives a secret sent without one (DEFAULT_TTL clamped to that range), so that the form's
 * first choice is the API's default even when TTL_OPTIONS leaves it out.
 */
export function lifetimes(config: Config, ceiling: number): number[] {
  const apiDefault = effectiveTtl(undefined, false, { ...config, ttlMaxAnonymous: ceiling });
  const offered = config.ttlOptions.filter((s) => s >= config.ttlMin && s <= ceiling);
  return [...new Set([...offered, apiDefault])].sort((a, b) => a - b);
}

/**
 * The lifetime selected at first: DEFAULT_TTL when offered, else the longest offer below it. Over
 * lifetimes()' list this is the API's default (DEFAULT_TTL clamped to the caller's range).
 */
export function defaultLifetime(options: number[], wanted: number): number {
  const below = options.filter((s) => s <= wanted);
  return below.length > 0 ? Math.max(...below) : Math.min(...options);
}

export function homePage(
  view: View,
  {
    form,
    options,
    maxBytes,
    fileMaxBytes,
    passphraseRequired,
    passphraseLengths,
    passwordRules,
    browserEncrypts,
    recipientField,
    notifyField,
    viewsMax,
    linkDomains,
    error,
  }: {
    form: HomeForm;
    options: number[];
    maxBytes: number;
    /** FILE_MAX_BYTES: the largest file the form takes. */
    fileMaxBytes: number;
    passphraseRequired: boolean;
    /** PASSPHRASE_MIN_LENGTH / MAX_LENGTH: checked in the browser for a passphrase the server never gets. */
    passphraseLengths: { min: number; max: number };
    /** PASSWORD_GEN_*: the page script generates passwords in the browser with the server's rules. */
    passwordRules: PasswordRules;
    /** ZERO_KNOWLEDGE ≠ off: the page script encrypts before sending. */
    browserEncrypts: boolean;
    /** Offer the recipient field: signed in, on a server that can send mail. */
    recipientField: boolean;
    /** Offer read notifications: signed in, on a server that can send mail. */
    notifyField: boolean;
    /** The caller's VIEWS_MAX (anonymous or signed in); 1 leaves the views field out. */
    viewsMax: number;
    /** The hosts a link may name, the site's own first; empty (no selector) without SHARE_DOMAINS. */
    linkDomains: string[];
    error?: string;
  },
): Html {
  const { t } = view;
  const heading = brandText(view, "homeHeading") ?? t("home.title");
  const main = html`
<h1>${heading}</h1>
<p class="lead">${brandText(view, "homeIntro") ?? t("home.lead")}</p>
${error && html`<p class="alert" role="alert" id="form-error">${error}</p>`}
<form method="post" action="${view.href("/create")}" enctype="multipart/form-data" class="card create" ${error && html`aria-describedby="form-error"`}${
    browserEncrypts && zkAttributes(view, maxBytes, fileMaxBytes, passphraseLengths, passwordRules)
  }>
  ${csrfField(view)}
  <fieldset class="mode">
    <legend>${t("home.mode.legend")}</legend>
    <label><input type="radio" name="mode" value="text" id="mode-text"${form.mode === "text" && html` checked`}> ${t("home.mode.text")}</label>
    <label><input type="radio" name="mode" value="generate" id="mode-generate"${form.mode === "generate" && html` checked`}> ${t("home.mode.generate")}</label>
  </fieldset>
  <div class="field secret-field">
    <label for="secret">${t("home.secret.label")}</label>
    <textarea id="secret" name="secret" rows="7" autocomplete="off" autocapitalize="off" spellcheck="false"
      data-max-bytes="${maxBytes}" aria-describedby="secret-count">${textareaContent(form.secret)}</textarea>
    <p class="hint" id="secret-count" aria-live="polite" data-template="${t("home.secret.count", { used: "{used}", count: maxBytes })}">${t("home.secret.limit", { count: maxBytes })}</p>
  </div>
  ${fileField(view, fileMaxBytes, form.fileLost)}
  <p class="generate-note hint">${t("home.generate.note", { count: passwordRules.length })}</p>
  <div class="field">
    <label for="passphrase">${passphraseRequired ? t("home.passphrase.required") : t("home.passphrase.label")}</label>
    <div class="inline">
      <input type="password" id="passphrase" name="passphrase" value="${form.passphrase}" autocomplete="new-password"
        aria-describedby="passphrase-hint"${passphraseRequired && html` required`}>
      <button type="button" class="ghost js-only" data-toggle-password="passphrase" aria-pressed="false"
        data-show="${t("action.show")}" data-hide="${t("action.hide")}" data-label-show="${t("home.passphrase.show")}"
        data-label-hide="${t("home.passphrase.hide")}" aria-label="${t("home.passphrase.show")}">${t("action.show")}</button>
    </div>
    <p class="hint" id="passphrase-hint">${t("home.passphrase.hint")}</p>
  </div>
  <div class="field">
    <label for="ttl">${t("home.ttl.label")}</label>
    <select id="ttl" name="ttl">
      ${options.map((s) => html`<option value="${s}"${s === form.ttl && html` selected`}>${view.m.duration(s)}</option>`)}
    </select>
  </div>
  ${linkDomains.length > 1 && domainField(view, linkDomains, form.shareDomain)}
  ${
    viewsMax > 1 &&
    html`<div class="field">
    <label for="views">${t("home.views.label")}</label>
    <input type="number" id="views" name="views" value="${form.views === "" ? "1" : form.views}" min="1" max="${viewsMax}"
      step="1" inputmode="numeric" required aria-describedby="views-hint">
    <p class="hint" id="views-hint">${t("home.views.hint", { max: viewsMax })}</p>
  </div>`
  }
  ${
    recipientField &&
    html`<div class="field">
    <label for="recipient">${t("home.recipient.label")}</label>
    <input type="email" id="recipient" name="recipient" value="${form.recipient}" autocomplete="email"
      aria-describedby="recipient-hint">
    <p class="hint" id="recipient-hint">${t("home.recipient.hint")}</p>
  </div>`
  }
  ${
    notifyField &&
    html`<div class="field check">
    <label><input type="checkbox" id="notify" name="notify" value="1"${form.notify && html` checked`}
      aria-describedby="notify-hint"> ${t("form.notify")}</label>
    <p class="hint" id="notify-hint">${t("form.notify_hint")}</p>
  </div>`
  }
  <button type="submit" class="primary">${t("home.submit")}</button>
</form>`;
  return layout(view, { title: heading, main });
}

/**
 * What the page script needs to encrypt in the browser: the password rules, and the checks the server
 * cannot make on text and a passphrase it never receives, with the server's own words for them.
 */
function zkAttributes(
  { t }: View,
  maxBytes: number,
  fileMaxBytes: number,
  lengths: { min: number; max: number },
  passwordRules: PasswordRules,
): Html {
  const rules = { maxBytes, fileMaxBytes, passphraseMin: lengths.min, passphraseMax: lengths.max };
  return html` data-zk data-password-rules="${JSON.stringify(passwordRules)}" data-zk-rules="${JSON.stringify(rules)}"
    data-zk-failed="${t("zk.create.failed")}" data-zk-empty="${t("form.error.nothing_to_share")}"
    data-zk-large="${t("form.error.secret_too_large", { count: maxBytes })}"
    data-zk-short="${t("form.error.passphrase_too_short", { count: lengths.min })}"
    data-zk-long="${t("form.error.passphrase_too_long", { count: lengths.max })}"`;
}

/** The link's domain (SHARE_DOMAINS): a plain select, posted with the form, or by the page script. */
function domainField({ t }: View, domains: string[], chosen: string): Html {
  const selected = domains.includes(chosen) ? chosen : domains[0];
  return html`<div class="field">
    <label for="share_domain">${t("home.share_domain.label")}</label>
    <select id="share_domain" name="share_domain" aria-describedby="share_domain-hint">
      ${domains.map((d) => html`<option value="${d}"${d === selected && html` selected`}>${d}</option>`)}
    </select>
    <p class="hint" id="share_domain-hint">${t("home.share_domain.hint")}</p>
  </div>`;
}

/**
 * The file input: a plain one, which works without JavaScript (the form is multipart) and from the
 * keyboard; the page script (web/file-drop.ts) makes its box a drop zone, names the chosen file with
 * its size, refuses one over the cap before anything is sent, and adds a button to remove it.
 */
function fileField(view: View, maxBytes: number, lost: boolean): Html {
  const { t } = view;
  const max = fileSize(maxBytes, view.m.locale);
  return html`<div class="field file-field">
    <label for="file">${t("home.file.label")}</label>
    <div class="drop" data-drop data-max-bytes="${maxBytes}" data-too-large="${t("form.error.file_too_large", { count: maxBytes })}"
      data-chosen="${t("home.file.chosen", { name: "{name}", size: "{size}" })}" data-locale="${view.m.locale}">
      <input type="file" id="file" name="file" aria-describedby="file-hint${lost ? " file-again" : ""} file-chosen">
      <p class="drop-hint js-only" aria-hidden="true">${t("home.file.drop")}</p>
    </div>
    <p class="hint" id="file-hint">${t("home.file.hint", { max })}</p>
    ${lost && html`<p class="hint over" id="file-again">${t("home.file.again")}</p>`}
    <div class="inline file-chosen">
      <p class="hint" id="file-chosen" aria-live="polite"></p>
      <button type="button" class="ghost js-only" data-clear-file="file" hidden>${t("home.file.remove")}</button>
    </div>
  </div>`;
}

/**
 * CREATE_POLICY=signed-in, signed out: what the home page shows instead of the form; whether a link
 * still opens without an account follows READ_POLICY.
 */
export function signInPromptPage(
  view: View,
  { signup, readSignedIn }: { signup: boolean; readSignedIn: boolean },
): Html {
  const { t } = view;
  const heading = brandText(view, "homeHeading") ?? t("home.title");
  const main = html`
<h1>${heading}</h1>
<p class="lead">${readSignedIn ? t("home.required.lead_signed_in_read") : t("home.required.lead")}</p>
<p class="actions">
  <a class="button primary" href="${view.href("/signin")}">${t("nav.signin")}</a>
  ${signup && html`<a class="button" href="${view.href("/signup")}">${t("nav.signup")}</a>`}
</p>`;
  return layout(view, { title: heading, main });
}
