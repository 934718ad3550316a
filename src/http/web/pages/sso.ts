import type { AppError } from "../../../domain/errors.js";
import { type Html, html } from "../html.js";
import { layout, type View } from "../layout.js";

// Single sign-on on the pages: the button on the sign-in page, and the page that says why a
// sign-in by the provider did not happen.

/** "Sign in with <OIDC_NAME>": a link that starts the flow, coming back to `next`. */
export function ssoButton(view: View, name: string, next: string): Html {
  const href = `/signin/oidc?next=${encodeURIComponent(next)}`;
  return html`<p><a class="button primary sso" href="${href}">${view.t("sso.button", { name })}</a></p>`;
}

/** Why the provider's answer did not sign anyone in, and the way back. */
export function ssoProblemPage(view: View, err: AppError, name: string): Html {
  const { t } = view;
  const reason = err.details.reason;
  let body: string;
  if (err.code === "sso_unavailable") body = t("sso.unavailable", { name });
  else if (err.code === "account_disabled") body = t("auth.error.account_disabled");
  else if (reason === "unverified") body = t("sso.refused.unverified", { name });
  else if (reason === "domain")
    body = t("sso.refused.domain", { domains: String(err.details.domains ?? "") });
  else if (reason === "no_account") body = t("sso.refused.no_account");
  else body = t("sso.refused.flow", { name });
  const title = t("sso.refused.title");
  const main = html`
<h1>${title}</h1>
<p class="alert" role="alert">${body}</p>
<p><a class="button" href="${view.href("/signin")}">${t("sso.again")}</a></p>`;
  return layout(view, { title, main });
}
