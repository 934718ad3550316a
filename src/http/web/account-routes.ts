import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { changePassword } from "../../actions/change-password.js";
import { deleteWebAccount } from "../../actions/delete-web-account.js";
import { issueWebToken } from "../../actions/issue-web-token.js";
import { recent } from "../../actions/recent.js";
import type { SessionAccount } from "../../actions/session-account.js";
import { setAccountLocale } from "../../actions/set-account-locale.js";
import { isAppError } from "../../domain/errors.js";
import { setRetryAfter } from "../errors.js";
import { field, rememberPreference, sendPage, type WebContext, withQuery } from "./context.js";
import type { Html } from "./html.js";
import type { View } from "./layout.js";
import { formProblem, type Notice } from "./messages.js";
import { openNote, sealNote } from "./note.js";
import { type AccountSection, accountPage } from "./pages/account.js";
import { dashboardPage } from "./pages/dashboard.js";

/** The signed-in pages: the dashboard and the account page with its four forms. */
export function accountRoutes(
  ctx: WebContext,
  requests?: { form: (view: View) => Html; list: (req: FastifyRequest, view: View) => Promise<Html> },
) {
  const { deps, csrf, session, cookies } = ctx;
  const { config } = deps;
  const sso = config.sso.oidc?.name ?? null;
  // The new API token crosses the POST → 303 → GET sealed in a cookie bound to this session, so
  // the page shows it once and a reload does not make another one.
  const tokenCookie = {
    path: "/account",
    maxAge: 300,
    httpOnly: true,
    sameSite: "strict" as const,
    secure: config.ssl,
  };
  const tokenAad = (account: SessionAccount) => `token:${account.sessionId}`;

  const redirect = (reply: FastifyReply, view: View, path: string, notice?: Notice) =>
    reply.redirect(notice === undefined ? view.href(path) : withQuery(view.href(path), { notice }), 303);

  /** The signed-in account, or null after sending the browser to sign in (and back here after). */
  function signedIn(
    req: FastifyRequest,
    reply: FastifyReply,
    view: View,
    back: string,
  ): SessionAccount | null {
    const account = ctx.account(req);
    if (account === null) void reply.redirect(withQuery(view.href("/signin"), { next: back }), 303);
    return account;
  }

  /** One account form: CSRF first, then the action; a known error re-renders the page in that form. */
  function accountForm(
    section: AccountSection,
    action: (
      req: FastifyRequest,
      reply: FastifyReply,
      view: View,
      account: SessionAccount,
    ) => Promise<unknown>,
  ) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const view = ctx.view(req, reply);
      const account = signedIn(req, reply, view, "/account");
      if (account === null) return reply;
      const again = (status: number, message: string) =>
        sendPage(reply, status, accountPage(view, { ...pageData(account), error: { section, message } }));
      if (!csrf.verify(req, req.body as Record<string, unknown>))
        return again(403, view.t("form.error.expired"));
      try {
        await action(req, reply, view, account);
        return reply;
      } catch (err) {
        const problem = formProblem(view.t, err, "account");
        if (problem === null) throw err;
        setRetryAfter(reply, err);
        return again(problem.status, problem.message);
      }
    };
  }

  const pageData = (account: SessionAccount) => ({
    email: account.email,
    token: null,
    locale: account.locale,
    hasPassword: account.hasPassword,
    sso,
    webhooks: config.webhooks.enabled,
  });

  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/account", async (req, reply) => {
      const view = ctx.view(req, reply);
      const account = signedIn(req, reply, view, "/account");
      if (account === null) return reply;
      const sealed = req.cookies[cookies.token];
      let token: string | null = null;
      if (sealed !== undefined) {
        token = openNote(deps.webKeys.flash, tokenAad(account), sealed);
        reply.clearCookie(cookies.token, { path: tokenCookie.path });
      }
      return sendPage(reply, 200, accountPage(view, { ...pageData(account), token }));
    });

    app.post(
      "/account/token",
      accountForm("token", async (req, reply, view, account) => {
        const token = await issueWebToken(deps, ctx.caller(req), account);
        reply.setCookie(cookies.token, sealNote(deps.webKeys.flash, tokenAad(account), token), tokenCookie);
        return redirect(reply, view, "/account");
      }),
    );

    app.post(
      "/account/password",
      accountForm("password", async (req, reply, view, account) => {
        const current = field(req.body, "current");
        const next = field(req.body, "next");
        // Every other session is signed out; this browser carries on under a new token.
        session.set(reply, await changePassword(deps, ctx.caller(req), account, { current, next }));
        return redirect(reply, view, "/account", "password_changed");
      }),
    );

    app.post(
      "/account/language",
      accountForm("language", async (req, reply, view, account) => {
        const locale = ctx.i18n.supported(field(req.body, "locale"));
        await setAccountLocale(deps, account, locale);
        // The language switcher's cookie would override the account's choice: it follows it.
        rememberPreference(reply, { name: cookies.locale, value: locale, secure: config.ssl });
        return redirect(reply, view, "/account", "language");
      }),
    );

    app.post(
      "/account/delete",
      accountForm("delete", async (req, reply, view, account) => {
        const confirm = { password: field(req.body, "password"), address: field(req.body, "address") };
        try {
          await deleteWebAccount(deps, ctx.caller(req), account, confirm);
        } catch (err) {
          // No password to ask for: a sign-in too old is renewed with the provider, back to this page.
          if (!isAppError(err, "stale_signin")) throw err;
          if (sso === null)
            return reply.redirect(withQuery(view.href("/signin"), { reauth: "1", next: "/account" }), 303);
          return reply.redirect(withQuery(view.href("/signin/oidc"), { next: "/account" }), 303);
        }
        session.clear(reply);
        return redirect(reply, view, "/", "deleted");
      }),
    );

    app.get("/dashboard", async (req, reply) => {
      const view = ctx.view(req, reply);
      const account = signedIn(req, reply, view, "/dashboard");
      if (account === null) return reply;
      const receipts = await recent(deps, ctx.caller(req), { withMail: true });
      const requestForm = requests?.form(view);
      const requestList = await requests?.list(req, view);
      return sendPage(reply, 200, dashboardPage(view, { receipts, requestForm, requests: requestList }));
    });
  };
}
