import { type Html, html } from "../html.js";
import { csrfField, layout, type View } from "../layout.js";

export type AccountSection = "token" | "password" | "language" | "delete";

export interface AccountPageData {
  email: string;
  /** A token just made: shown on this one page view, never again. */
  token: string | null;
  /** The account's language, or null for "the browser's". */
  locale: string | null;
  /** False for an account that signs in only with single sign-on: no password to change or confirm with. */
  hasPassword: boolean;
  /** OIDC_NAME when single sign-on is on, else null. */
  sso: string | null;
  /** Webhooks are on (WEBHOOKS_ENABLED): the page links to them. */
  webhooks: boolean;
  error?: { section: AccountSection; message: string };
}

/** The account page: API token, password, language, deletion. Each part is its own form. */
export function accountPage(view: View, data: AccountPageData): Html {
  const { t } = view;
  const errorIn = (section: AccountSection) =>
    data.error?.section === section && html`<p class="alert" role="alert">${data.error.message}</p>`;
  const main = html`
<h1>${t("account.title")}</h1>
<p class="lead">${t("account.lead", { email: data.email })}</p>

<section class="card" aria-labelledby="token-title">
  <h2 id="token-title">${t("account.token.title")}</h2>
  <p>${t("account.token.lead")}</p>
  ${errorIn("token")}
  ${
    data.token !== null &&
    html`<div class="field new-token">
    <label for="api-token">${t("account.token.new")}</label>
    <div class="inline">
      <input id="api-token" class="mono" type="text" readonly value="${data.token}">
      <button type="button" class="js-only" data-copy="api-token" data-done="${t("action.copied")}"
        aria-label="${t("account.token.copy")}">${t("action.copy")}</button>
    </div>
    <p class="warning" role="note">${t("account.token.once")}</p>
  </div>`
  }
  <form method="post" action="${view.href("/account/token")}">
    ${csrfField(view)}
    <button type="submit" class="primary">${t("account.token.create")}</button>
  </form>
</section>

${
  data.webhooks &&
  html`<section class="card" aria-labelledby="webhooks-title">
  <h2 id="webhooks-title">${t("webhooks.title")}</h2>
  <p>${t("account.webhooks.lead")} <a href="${view.href("/account/webhooks")}">${t("account.webhooks.link")}</a></p>
</section>`
}

${data.hasPassword ? passwordSection(view, data.email, errorIn("password")) : ssoPasswordNote(view, data.sso)}

<section class="card" aria-labelledby="language-title">
  <h2 id="language-title">${t("account.language.title")}</h2>
  ${errorIn("language")}
  <form method="post" action="${view.href("/account/language")}">
    ${csrfField(view)}
    <div class="field">
      <label for="locale">${t("account.language.label")}</label>
      <select id="locale" name="locale">
        <option value=""${data.locale === null && html` selected`}>${t("account.language.browser")}</option>
        ${view.locales.map((l) => html`<option value="${l.code}" lang="${l.code}"${data.locale === l.code && html` selected`}>${l.name}</option>`)}
      </select>
    </div>
    <button type="submit">${t("account.language.submit")}</button>
  </form>
</section>

<section class="card danger-zone" aria-labelledby="delete-title">
  <h2 id="delete-title">${t("account.delete.title")}</h2>
  <p>${t("account.delete.lead")}</p>
  ${errorIn("delete")}
  <form method="post" action="${view.href("/account/delete")}">
    ${csrfField(view)}
    ${
      data.hasPassword
        ? html`<div class="field">
      <label for="delete-password">${t("account.delete.password")}</label>
      <input type="password" id="delete-password" name="password" autocomplete="current-password" required>
    </div>`
        : html`<div class="field">
      <label for="delete-address">${t("account.delete.address", { email: data.email })}</label>
      <input type="email" id="delete-address" name="address" autocomplete="off" required>
      <p class="hint">${t("account.delete.recent", { name: data.sso ?? "" })}</p>
    </div>`
    }
    <button type="submit" class="danger">${t("account.delete.submit")}</button>
  </form>
</section>`;
  return layout(view, { title: t("account.title"), main });
}

/** The password form, for an account that has one. */
function passwordSection(view: View, email: string, error: Html | false): Html {
  const { t } = view;
  return html`<section class="card" aria-labelledby="password-title">
  <h2 id="password-title">${t("account.password.title")}</h2>
  ${error}
  <form method="post" action="${view.href("/account/password")}">
    ${csrfField(view)}
    <input type="hidden" name="email" value="${email}" autocomplete="username">
    <div class="field">
      <label for="current">${t("account.password.current")}</label>
      <input type="password" id="current" name="current" autocomplete="current-password" required>
    </div>
    <div class="field">
      <label for="next">${t("auth.password.new")}</label>
      <input type="password" id="next" name="next" autocomplete="new-password" required>
      <p class="hint">${t("account.password.hint")}</p>
    </div>
    <button type="submit">${t("account.password.submit")}</button>
  </form>
</section>`;
}

/** An account without a password (single sign-on only): its identity provider keeps it. */
function ssoPasswordNote(view: View, sso: string | null): Html {
  const { t } = view;
  return html`<section class="card" aria-labelledby="password-title">
  <h2 id="password-title">${t("account.password.sso_title")}</h2>
  <p>${t("account.password.sso", { name: sso ?? "" })}</p>
</section>`;
}
