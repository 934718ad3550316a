import { type Html, html } from "../html.js";
import { csrfField, layout, type View } from "../layout.js";
import { ssoButton } from "./sso.js";

// The signed-out account pages: sign up, sign in, forgotten password, reset, address confirmation.
// Forms keep what was typed except passwords, which are never sent back.

const alert = (error: string | undefined) =>
  error && html`<p class="alert" role="alert" id="form-error">${error}</p>`;
const describedBy = (error: string | undefined) => error && html` aria-describedby="form-error"`;

function emailField(view: View, email: string, autocomplete: "username" | "email"): Html {
  return html`<div class="field">
    <label for="email">${view.t("auth.email")}</label>
    <input type="email" id="email" name="email" value="${email}" autocomplete="${autocomplete}" required
      autocapitalize="off" spellcheck="false">
  </div>`;
}

function passwordField(
  view: View,
  { id, label, autocomplete, min }: { id: string; label: string; autocomplete: string; min?: number },
): Html {
  const hint =
    min !== undefined &&
    html`<p class="hint" id="${id}-hint">${view.t("auth.password.hint", { count: min })}</p>`;
  return html`<div class="field">
    <label for="${id}">${label}</label>
    <input type="password" id="${id}" name="${id}" autocomplete="${autocomplete}" required${min !== undefined && html` minlength="${min}" aria-describedby="${id}-hint"`}>
    ${hint}
  </div>`;
}

export function signUpPage(
  view: View,
  { email, domains, min, error }: { email: string; domains: string[]; min: number; error?: string },
): Html {
  const { t } = view;
  const main = html`
<h1>${t("signup.title")}</h1>
<p class="lead">${t("signup.lead")}</p>
${alert(error)}
<form method="post" action="${view.href("/signup")}" class="card account-form"${describedBy(error)}>
  ${csrfField(view)}
  ${emailField(view, email, "email")}
  ${domains.length > 0 && html`<p class="hint domains">${t("signup.domains", { domains: domains.join(", ") })}</p>`}
  ${passwordField(view, { id: "password", label: t("auth.password"), autocomplete: "new-password", min })}
  <button type="submit" class="primary">${t("signup.submit")}</button>
</form>
<p>${t("signup.have")} <a href="${view.href("/signin")}">${t("nav.signin")}</a></p>`;
  return layout(view, { title: t("signup.title"), main });
}

export function signInPage(
  view: View,
  {
    email,
    next,
    signup,
    error,
    sso = null,
    local = true,
  }: {
    email: string;
    next: string;
    signup: boolean;
    error?: string;
    /** The single sign-on provider's name (OIDC_NAME), null without one. */
    sso?: string | null;
    /** AUTH_LOCAL: the password form is shown. */
    local?: boolean;
  },
): Html {
  const { t } = view;
  const form = html`
${sso !== null && html`<p>${t("sso.or")}</p>`}
<form method="post" action="${view.href("/signin")}" class="card account-form"${describedBy(error)}>
  ${csrfField(view)}<input type="hidden" name="next" value="${next}">
  ${emailField(view, email, "username")}
  ${passwordField(view, { id: "password", label: t("auth.password"), autocomplete: "current-password" })}
  <button type="submit" class="primary">${t("signin.submit")}</button>
</form>
<p><a href="${view.href("/forgot")}">${t("signin.forgot")}</a></p>
${signup && html`<p>${t("signin.new")} <a href="${view.href("/signup")}">${t("nav.signup")}</a></p>`}`;
  const main = html`
<h1>${t("signin.title")}</h1>
${alert(error)}
${sso !== null && ssoButton(view, sso, next)}
${local && form}`;
  return layout(view, { title: t("signin.title"), main });
}

export function forgotPage(
  view: View,
  { email, canMail, error }: { email: string; canMail: boolean; error?: string },
): Html {
  const { t } = view;
  // No form where no mail can be sent: the visitor is told so before typing anything.
  if (!canMail) {
    const main = html`
<h1>${t("forgot.title")}</h1>
<p class="alert" role="alert">${t("forgot.no_mail")}</p>`;
    return layout(view, { title: t("forgot.title"), main });
  }
  const main = html`
<h1>${t("forgot.title")}</h1>
<p class="lead">${t("forgot.lead")}</p>
${alert(error)}
<form method="post" action="${view.href("/forgot")}" class="card account-form"${describedBy(error)}>
  ${csrfField(view)}
  ${emailField(view, email, "username")}
  <button type="submit" class="primary">${t("forgot.submit")}</button>
</form>`;
  return layout(view, { title: t("forgot.title"), main });
}

/** The new-password form of a mailed link; `invalid` when the link turned out not to work. */
export function resetPage(
  view: View,
  { token, min, invalid, error }: { token: string; min: number; invalid: boolean; error?: string },
): Html {
  const { t } = view;
  const main = invalid
    ? html`
<h1>${t("reset.title")}</h1>
${alert(error)}
<p><a class="button primary" href="${view.href("/forgot")}">${t("reset.again")}</a></p>`
    : html`
<h1>${t("reset.title")}</h1>
${alert(error)}
<form method="post" action="${view.href(`/reset/${token}`)}" class="card account-form"${describedBy(error)}>
  ${csrfField(view)}
  ${passwordField(view, { id: "password", label: t("auth.password.new"), autocomplete: "new-password", min })}
  <button type="submit" class="primary">${t("reset.submit")}</button>
</form>`;
  return layout(view, { title: t("reset.title"), main });
}

/** A GET of a mailed confirmation link only shows this: mail scanners fetch links too. */
export function verifyPage(
  view: View,
  { token, invalid, error }: { token: string; invalid: boolean; error?: string },
): Html {
  const { t } = view;
  const main = html`
<h1>${t("verify.title")}</h1>
${alert(error)}
${
  invalid
    ? html`<p><a class="button primary" href="${view.href("/forgot")}">${t("reset.again")}</a></p>`
    : html`<p class="lead">${t("verify.lead")}</p>
<form method="post" action="${view.href(`/verify/${token}`)}" class="card">
  ${csrfField(view)}
  <button type="submit" class="primary">${t("verify.submit")}</button>
</form>`
}`;
  return layout(view, { title: t("verify.title"), main });
}
