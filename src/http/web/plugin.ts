import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAdmin } from "../../actions/admins.js";
import type { Deps } from "../../actions/deps.js";
import { type SessionAccount, sessionAccount } from "../../actions/session-account.js";
import { DEFAULT_BRANDING } from "../../branding/brand.js";
import { AppError } from "../../domain/errors.js";
import { secretLink } from "../../domain/links.js";
import { isUnreadableForm, readPageForm } from "../body.js";
import { dropInvalidHeaders, logUnexpected, requestError, setRetryAfter } from "../errors.js";
import { requestOrigin } from "../origin.js";
import { SVG_ASSET_CSP } from "../security-headers.js";
import { NOT_FOUND, sendV1Error } from "../v1/errors.js";
import { accountRoutes } from "./account-routes.js";
import { adminRoutes } from "./admin-routes.js";
import { loadAssets } from "./assets.js";
import { authRoutes } from "./auth-routes.js";
import {
  field,
  logStoreUnavailable,
  rememberPreference,
  safeNext,
  sendPage,
  themeOf,
  type WebContext,
  YEAR_SECONDS,
} from "./context.js";
import { createRoutes } from "./create-route.js";
import { createCsrf } from "./csrf.js";
import { downloadRoutes } from "./download-route.js";
import { type ErrorPage, errorPageOf, noticeText } from "./messages.js";
import { oidcRoutes } from "./oidc-routes.js";
import { messagePage, unavailablePage } from "./pages/secret.js";
import { requestRoutes } from "./request-routes.js";
import { webRoutes } from "./routes.js";
import { sessionCookie } from "./session.js";
import { webhookRoutes } from "./webhook-routes.js";

export interface Web {
  /** Registers the pages; mount at the root. */
  plugin(app: FastifyInstance): Promise<void>;
  /** The HTML "page not found", for browsers that ask for a page no route serves. */
  notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply;
}

/**
 * The web pages: server-rendered, working without JavaScript, on the same actions as the v1 API.
 * Every form POST is CSRF-checked; every GET is free of side effects on secrets. Needs
 * @fastify/cookie registered on the app.
 */
export function createWeb(deps: Deps): Web {
  const { config } = deps;
  const { i18n } = deps;
  const assets = loadAssets();
  const branding = deps.branding ?? DEFAULT_BRANDING;
  const names = i18n.locales.map((code) => ({ code, name: i18n.messages(code).t("meta.name") }));
  const cookies = {
    locale: "ot_locale",
    theme: "ot_theme",
    note: "ot_note",
    token: "ot_token",
    webhook: "ot_webhook",
  };
  const session = sessionCookie({ secure: config.ssl, ttlSeconds: config.auth.sessionTtlSeconds });
  // Filled by the onRequest hook below, so that caller() and view() stay synchronous.
  const accounts = new WeakMap<FastifyRequest, SessionAccount>();
  const account = (req: FastifyRequest) => accounts.get(req) ?? null;
  // Form tokens are bound to the session: a token of another visitor's is refused.
  const csrf = createCsrf({
    key: deps.webKeys.csrf,
    secure: config.ssl,
    session: (req) => account(req)?.sessionId ?? "",
  });
  const signup = config.authEnabled && config.auth.signup;
  // A web password comes from signing up, or (for an account made with the CLI) from a mailed reset
  // link: with neither, a "Sign in" link would lead to a form nobody can pass. /signin still answers.
  const auth = {
    enabled: config.authEnabled,
    signup,
    signin: signup || (config.authEnabled && config.mail.smtp !== null) || config.sso.oidc !== null,
  };

  const ctx: WebContext = {
    deps,
    i18n,
    assets,
    csrf,
    cookies,
    session,
    account,
    caller: (req) => ({ ip: req.ip, account: account(req) }),
    notFound: (req, reply) => errorPage(req, reply, 404, "not_found"),
    secretLink: (req, shareDomain, secretKey) =>
      secretLink(requestOrigin(config, req), shareDomain, secretKey),
    view(req, reply) {
      const query = (req.query ?? {}) as Record<string, unknown>;
      const explicit = i18n.supported(query.locale);
      const signedIn = account(req);
      // ?locale= → the switcher's cookie → the account's language → Accept-Language → the default.
      const locale = i18n.negotiate({
        query: query.locale,
        cookie: req.cookies[cookies.locale] ?? signedIn?.locale ?? undefined,
        acceptLanguage: req.headers["accept-language"],
      });
      const m = i18n.messages(locale);
      return {
        account: signedIn?.email ?? null,
        admin: signedIn !== null && isAdmin(config, signedIn),
        auth,
        notice: noticeText(m.t, query.notice),
        m,
        t: m.t,
        locales: names,
        theme: themeOf(req.cookies[cookies.theme]),
        csrf: csrf.token(req, reply),
        path: req.url.split("?")[0] ?? "/",
        href: (path) => (explicit === null ? path : `${path}?locale=${explicit}`),
        assets,
        // A share domain may have a brand of its own; any other host gets the instance's.
        brand: branding.forHost(typeof req.host === "string" ? req.host : ""),
        now: deps.now(),
      };
    },
  };

  function errorPage(req: FastifyRequest, reply: FastifyReply, status: number, key: ErrorPage) {
    const view = ctx.view(req, reply);
    const { t } = view;
    return sendPage(
      reply,
      status,
      messagePage(view, { title: t(`error.${key}.title`), body: t(`error.${key}.body`) }),
    );
  }

  async function plugin(app: FastifyInstance): Promise<void> {
    app.removeAllContentTypeParsers();
    // Browsers post forms url-encoded. A field that is not UTF-8 or not validly percent-encoded is
    // left out rather than stored altered; the create form says so, every other form is refused.
    // More than MAX_FIELDS fields is refused outright.
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "buffer" },
      (_req, body: Buffer, done) => {
        try {
          done(null, readPageForm(body));
        } catch (err) {
          done(err as Error, undefined);
        }
      },
    );
    app.addHook("preHandler", async (req) => {
      if (isUnreadableForm(req.body) && req.routeOptions.url !== "/create") throw new AppError("bad_payload");
    });

    app.addHook("onSend", async (_req, reply) => {
      reply.header("x-robots-tag", "noindex, nofollow");
    });

    // The session is looked up once per page request; an unknown or expired one drops its cookie.
    app.addHook("onRequest", async (req, reply) => {
      const token = session.read(req);
      if (token === undefined || !config.authEnabled || req.url.startsWith("/assets/")) return;
      const found = await sessionAccount(deps, token);
      if (found === null) session.clear(reply);
      else accounts.set(req, found);
    });

    // Errors no form showed: the page for the code (messages.ts), or "unexpected" for a bug.
    app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
      dropInvalidHeaders(reply);
      const known = err instanceof AppError ? err : requestError(err, config.secretMaxLength);
      if (known === null) {
        logUnexpected(req.log, err);
        return errorPage(req, reply, 500, "unexpected");
      }
      if (known.code === "store_unavailable") logStoreUnavailable(req, deps, known);
      setRetryAfter(reply, known);
      const { status, page } = errorPageOf(known);
      if (page === "secret") return sendPage(reply, status, unavailablePage(ctx.view(req, reply)));
      return errorPage(req, reply, status, page);
    });

    // The built assets, then the brand's logos and stylesheets: all named by a hash of their body.
    app.get<{ Params: { name: string } }>(
      "/assets/:name",
      {
        // Route hooks run after the app's, whose onSend sets the site-wide policy. An SVG opened
        // on its own is a document: sandboxed, with no script and nothing fetched, it can do nothing.
        onSend: async (_req, reply) => {
          if (String(reply.getHeader("content-type") ?? "").startsWith("image/svg+xml"))
            reply.header("content-security-policy", SVG_ASSET_CSP);
        },
      },
      async (req, reply) => {
        const asset = assets.get(req.params.name) ?? branding.asset(req.params.name);
        if (asset === null) return sendV1Error(reply, NOT_FOUND);
        return reply
          .header("cache-control", `public, max-age=${YEAR_SECONDS}, immutable`)
          .header("x-content-type-options", "nosniff")
          .type(asset.type)
          .send(asset.body);
      },
    );

    app.get("/robots.txt", async (_req, reply) =>
      reply.type("text/plain; charset=utf-8").send("User-agent: *\nDisallow: /\n"),
    );

    // The language and theme switchers: remember the choice for a year and go back where we were.
    app.post("/prefs", async (req: FastifyRequest, reply: FastifyReply) => {
      const next = safeNext(field(req.body, "next"));
      if (!csrf.verify(req, (req.body ?? {}) as Record<string, unknown>)) return reply.redirect(next, 303);
      const secure = config.ssl;
      const locale = i18n.supported(field(req.body, "locale"));
      if (locale !== null) rememberPreference(reply, { name: cookies.locale, value: locale, secure });
      const theme = field(req.body, "theme");
      if (theme !== "") {
        const value = themeOf(theme) === "auto" ? null : themeOf(theme);
        rememberPreference(reply, { name: cookies.theme, value, secure });
      }
      return reply.redirect(next, 303);
    });

    await app.register(createRoutes(ctx));
    await app.register(webRoutes(ctx));
    await app.register(downloadRoutes(ctx));
    if (config.authEnabled) {
      await app.register(authRoutes(ctx));
      const requests = requestRoutes(ctx);
      await app.register(accountRoutes(ctx, requests));
      await app.register(requests.register);
      await app.register(webhookRoutes(ctx));
      await app.register(adminRoutes(ctx));
      if (config.sso.oidc !== null) await app.register(oidcRoutes(ctx, config.sso.oidc));
    }
  }

  return { plugin, notFound: ctx.notFound };
}
