import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { confirmAddress } from "../../actions/confirm-address.js";
import { requestReset } from "../../actions/request-reset.js";
import { resetPassword } from "../../actions/reset-password.js";
import { signIn } from "../../actions/sign-in.js";
import { signOut } from "../../actions/sign-out.js";
import { signUp } from "../../actions/sign-up.js";
import { isAppError } from "../../domain/errors.js";
import { setRetryAfter } from "../errors.js";
import { field, safeNext, sendPage, type WebContext, withQuery } from "./context.js";
import type { Html } from "./html.js";
import type { View } from "./layout.js";
import { formProblem, type Notice } from "./messages.js";
import { forgotPage, resetPage, signInPage, signUpPage, verifyPage } from "./pages/auth.js";
import { messagePage } from "./pages/secret.js";

type TokenRequest = FastifyRequest<{ Params: { token: string } }>;
type Body = Record<string, unknown>;

/** Sign-up, sign-in, sign-out and the mailed links (address confirmation, password reset). */
export function authRoutes(ctx: WebContext) {
  const { deps, csrf, session } = ctx;
  const { config } = deps;
  const min = config.auth.passwordMinLength;
  const signup = config.auth.signup;
  const canMail = config.mail.smtp !== null;
  // AUTH_LOCAL=false: no password form, no reset links; single sign-on is the way in.
  const local = config.sso.local;
  const sso = config.sso.oidc?.name ?? null;

  /** POST, then redirect, then GET: a reload never sends the form again. */
  const redirect = (reply: FastifyReply, view: View, path: string, notice?: Notice) =>
    reply.redirect(notice === undefined ? view.href(path) : withQuery(view.href(path), { notice }), 303);

  /** Runs a form's action; a known error re-renders the form (status and message), others go up. */
  async function attempt(
    reply: FastifyReply,
    view: View,
    render: (error: string) => Html,
    action: () => Promise<FastifyReply>,
  ): Promise<FastifyReply> {
    try {
      return await action();
    } catch (err) {
      const problem = formProblem(view.t, err, "account");
      if (problem === null) throw err;
      setRetryAfter(reply, err);
      return sendPage(reply, problem.status, render(problem.message));
    }
  }

  /** A fresh session on every sign-in; whatever session this browser had is ended first. */
  async function startSession(req: FastifyRequest, reply: FastifyReply, token: string) {
    const old = session.read(req);
    if (old !== undefined) await signOut(deps, old);
    session.set(reply, token);
  }

  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/signup", async (req, reply) => {
      if (!signup) return ctx.notFound(req, reply);
      const view = ctx.view(req, reply);
      if (ctx.account(req) !== null) return redirect(reply, view, "/dashboard");
      return sendPage(reply, 200, signUpPage(view, { email: "", domains: config.auth.allowedDomains, min }));
    });

    app.post("/signup", async (req, reply) => {
      if (!signup) return ctx.notFound(req, reply);
      const view = ctx.view(req, reply);
      const email = field(req.body, "email").trim();
      const password = field(req.body, "password");
      const render = (error: string) =>
        signUpPage(view, { email, domains: config.auth.allowedDomains, min, error });
      if (!csrf.verify(req, req.body as Body))
        return sendPage(reply, 403, render(view.t("form.error.expired")));
      return attempt(reply, view, render, async () => {
        const caller = ctx.caller(req);
        const { verified } = await signUp(deps, caller, { email, password, locale: view.m.locale });
        if (!verified) return redirect(reply, view, "/signin", "check_mail");
        await startSession(req, reply, await signIn(deps, caller, { email, password }));
        return redirect(reply, view, "/dashboard", "welcome");
      });
    });

    // `reauth=1`: an admin page asks a signed-in account to prove its password again (a fresh
    // sign-in, docs/admin.md); the form is shown, filled with its address, instead of going on.
    app.get("/signin", async (req, reply) => {
      const view = ctx.view(req, reply);
      const next = safeNext(field(req.query, "next") || "/dashboard");
      const account = ctx.account(req);
      if (account !== null && field(req.query, "reauth") !== "1") return redirect(reply, view, next);
      const email = account?.email ?? "";
      return sendPage(reply, 200, signInPage(view, { email, next, signup, sso, local }));
    });

    app.post("/signin", async (req, reply) => {
      const view = ctx.view(req, reply);
      const email = field(req.body, "email").trim();
      const next = safeNext(field(req.body, "next") || "/dashboard");
      const render = (error: string) => signInPage(view, { email, next, signup, error, sso, local });
      if (!csrf.verify(req, req.body as Body))
        return sendPage(reply, 403, render(view.t("form.error.expired")));
      return attempt(reply, view, render, async () => {
        const token = await signIn(deps, ctx.caller(req), { email, password: field(req.body, "password") });
        await startSession(req, reply, token);
        return redirect(reply, view, next);
      });
    });

    app.post("/signout", async (req, reply) => {
      const view = ctx.view(req, reply);
      if (!csrf.verify(req, req.body as Body)) {
        const page = messagePage(view, { title: view.t("nav.signout"), body: view.t("form.error.expired") });
        return sendPage(reply, 403, page);
      }
      await signOut(deps, session.read(req));
      session.clear(reply);
      return redirect(reply, view, "/", "signed_out");
    });

    // GET only shows a button: mail scanners open links, and must not confirm anything.
    app.get("/verify/:token", async (req: TokenRequest, reply) =>
      sendPage(reply, 200, verifyPage(ctx.view(req, reply), { token: req.params.token, invalid: false })),
    );

    app.post("/verify/:token", async (req: TokenRequest, reply) => {
      const view = ctx.view(req, reply);
      const { token } = req.params;
      if (!csrf.verify(req, req.body as Body)) {
        return sendPage(
          reply,
          403,
          verifyPage(view, { token, invalid: false, error: view.t("form.error.expired") }),
        );
      }
      const render = (error: string) => verifyPage(view, { token, invalid: true, error });
      return attempt(reply, view, render, async () => {
        await confirmAddress(deps, token);
        return redirect(reply, view, "/signin", "confirmed");
      });
    });

    /** Without SMTP_HOST no reset link can be sent: the page says so, and the log tells whoever runs it. */
    const noMail = (req: FastifyRequest, reply: FastifyReply, status: number) => {
      req.log.warn("password reset asked, but SMTP_HOST is unset: no reset mail can be sent");
      return sendPage(reply, status, forgotPage(ctx.view(req, reply), { email: "", canMail: false }));
    };

    app.get("/forgot", async (req, reply) => {
      if (!local) return ctx.notFound(req, reply);
      if (!canMail) return noMail(req, reply, 200);
      return sendPage(reply, 200, forgotPage(ctx.view(req, reply), { email: "", canMail }));
    });

    // The answer is the same whether or not the address has an account: addresses cannot be probed.
    app.post("/forgot", async (req, reply) => {
      if (!local) return ctx.notFound(req, reply);
      if (!canMail) return noMail(req, reply, 503);
      const view = ctx.view(req, reply);
      const email = field(req.body, "email").trim();
      const render = (error: string) => forgotPage(view, { email, canMail, error });
      if (!csrf.verify(req, req.body as Body))
        return sendPage(reply, 403, render(view.t("form.error.expired")));
      return attempt(reply, view, render, async () => {
        await requestReset(deps, ctx.caller(req), { email, locale: view.m.locale });
        return redirect(reply, view, "/forgot", "reset_sent");
      });
    });

    app.get("/reset/:token", async (req: TokenRequest, reply) => {
      if (!local) return ctx.notFound(req, reply);
      return sendPage(
        reply,
        200,
        resetPage(ctx.view(req, reply), { token: req.params.token, min, invalid: false }),
      );
    });

    app.post("/reset/:token", async (req: TokenRequest, reply) => {
      if (!local) return ctx.notFound(req, reply);
      const view = ctx.view(req, reply);
      const { token } = req.params;
      const form = (error: string) => resetPage(view, { token, min, invalid: false, error });
      if (!csrf.verify(req, req.body as Body))
        return sendPage(reply, 403, form(view.t("form.error.expired")));
      try {
        await resetPassword(deps, ctx.caller(req), { token, password: field(req.body, "password") });
      } catch (err) {
        const problem = formProblem(view.t, err, "account");
        if (problem === null) throw err;
        // A bad link cannot be retried; a too-short password can (the link was not used up).
        const invalid = isAppError(err, "link_invalid");
        const page = invalid
          ? resetPage(view, { token, min, invalid, error: problem.message })
          : form(problem.message);
        return sendPage(reply, problem.status, page);
      }
      // Every session of the account was ended, this browser's too.
      session.clear(reply);
      return redirect(reply, view, "/signin", "password_reset");
    });
  };
}
