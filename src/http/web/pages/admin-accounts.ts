import type { AccountSummary } from "../../../actions/admin-accounts.js";
import { withQuery } from "../context.js";
import { type Html, html } from "../html.js";
import { csrfField, type View } from "../layout.js";
import { adminLayout, cell, timeOf } from "./admin.js";

// The admin's accounts: a search by address, then each account with what can be done to it. Every
// change is a POST with the CSRF token; deleting asks first, on a page of its own.

export interface AccountsPageData {
  search: string;
  accounts: AccountSummary[];
  /** How many a search shows at most: a full page means there may be more. */
  shown: number;
  /** The admin's own account: not disabled or deleted from here. */
  selfId: string;
}

export function accountsPage(view: View, data: AccountsPageData): Html {
  const { t } = view;
  const col = {
    email: t("admin.accounts.col.email"),
    created: t("admin.accounts.col.created"),
    state: t("admin.accounts.col.state"),
    token: t("admin.accounts.col.token"),
    web: t("admin.accounts.col.web"),
  };
  const action = (a: AccountSummary, change: string, label: string, danger = false) =>
    html`<form method="post" action="${view.href(`/admin/accounts/${a.id}/${change}`)}" class="inline-form">
      ${csrfField(view)}<input type="hidden" name="q" value="${data.search}">
      <button type="submit" class="small${danger ? " danger" : ""}">${label}</button>
    </form>`;
  const web = (a: AccountSummary) => {
    if (!a.webPassword) return t("admin.accounts.web.none");
    return a.verified ? t("admin.accounts.web.verified") : t("admin.accounts.web.unverified");
  };
  const row = (a: AccountSummary) => {
    const self = a.id === data.selfId;
    return html`<tr role="row"${a.disabledAt !== null && html` class="disabled"`}>
    ${cell(view, col.email, html`<a href="${withQuery(view.href("/admin/audit"), { about: a.email })}">${a.email}</a>`)}
    ${cell(view, col.created, timeOf(view, a.createdAt))}
    ${cell(
      view,
      col.state,
      a.disabledAt === null
        ? t("admin.accounts.state.active")
        : html`${t("admin.accounts.state.disabled")} (${timeOf(view, a.disabledAt)})`,
    )}
    ${cell(view, col.token, a.hasToken ? t("admin.accounts.token.yes") : t("admin.accounts.token.no"))}
    ${cell(view, col.web, web(a))}
    <td role="cell" class="row-actions admin-actions">
      ${
        self
          ? html`<span class="hint">${t("admin.accounts.self")}</span>`
          : a.disabledAt === null
            ? action(a, "disable", t("admin.accounts.disable"), true)
            : action(a, "enable", t("admin.accounts.enable"))
      }
      ${a.hasToken && action(a, "revoke-token", t("admin.accounts.revoke_token"))}
      ${action(a, "end-sessions", t("admin.accounts.end_sessions"))}
      ${!self && html`<a class="button small danger" href="${view.href(`/admin/accounts/${a.id}/delete`)}">${t("admin.accounts.delete")}</a>`}
    </td>
  </tr>`;
  };
  const main = html`
<form method="get" action="${view.href("/admin/accounts")}" class="card admin-search" role="search">
  <div class="field">
    <label for="q">${t("admin.accounts.search")}</label>
    <div class="inline">
      <input type="search" id="q" name="q" value="${data.search}" autocomplete="off">
      <button type="submit">${t("admin.accounts.search_submit")}</button>
    </div>
  </div>
</form>
<p class="hint">${t("admin.accounts.hint")}</p>
${
  data.accounts.length === 0
    ? html`<p class="card empty">${t("admin.accounts.empty")}</p>`
    : html`<div class="table-wrap" tabindex="0" role="region" aria-label="${t("admin.nav.accounts")}">
  <table class="receipts admin-table" role="table">
    <thead role="rowgroup"><tr role="row">
      ${Object.values(col).map((c) => html`<th scope="col" role="columnheader">${c}</th>`)}
      <th scope="col" role="columnheader"><span class="visually-hidden">${t("admin.accounts.col.actions")}</span></th>
    </tr></thead>
    <tbody role="rowgroup">${data.accounts.map(row)}</tbody>
  </table>
  </div>`
}
${data.accounts.length >= data.shown && html`<p class="hint">${t("admin.accounts.more", { count: data.shown })}</p>`}`;
  return adminLayout(view, "accounts", t("admin.accounts.title"), main);
}

/** Deleting asks first: what goes with the account, and a button that posts the deletion. */
export function deleteAccountPage(view: View, account: AccountSummary): Html {
  const { t } = view;
  const main = html`
<section class="card danger-zone">
  <p>${t("admin.delete.lead", { email: account.email })}</p>
  <form method="post" action="${view.href(`/admin/accounts/${account.id}/delete`)}">
    ${csrfField(view)}<input type="hidden" name="q" value="${account.email}">
    <div class="actions">
      <button type="submit" class="danger">${t("admin.delete.submit")}</button>
      <a class="button" href="${withQuery(view.href("/admin/accounts"), { q: account.email })}">${t("action.cancel")}</a>
    </div>
  </form>
</section>`;
  return adminLayout(view, "accounts", t("admin.delete.title"), main);
}
