import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { signOut } from "../../actions/sign-out.js";
import { recordSsoFailure, ssoSignIn } from "../../actions/sso-sign-in.js";
import type { OidcConfig } from "../../config-oidc.js";
import { AppError, isAppError } from "../../domain/errors.js";
import { mailOrigin, siteUrl } from "../../domain/links.js";
import { field, safeNext, sendPage, type WebContext } from "./context.js";
import { createOidcClient, PENDING_SECONDS } from "./oidc-client.js";
import { ssoProblemPage } from "./pages/sso.js";

/**
 * Single sign-on: /signin/oidc starts the flow (a redirect to the provider), the callback ends it
 * (a session, as a password sign-in makes) or shows why not. The pending flow's cookie is
 * HttpOnly and SameSite=Lax (the provider's redirect back is a top-level GET, which carries it),
 * __Host- prefixed over HTTPS, and cleared by the callback whatever happens.
 */
export function oidcRoutes(ctx: WebContext, oidc: OidcConfig) {
  const { deps, session } = ctx;
  const secure = deps.config.ssl;
  const cookie = secure ? "__Host-ot_oidc" : "ot_oidc";
  const rp = createOidcClient(deps, oidc);
  const origin = siteUrl(mailOrigin(deps.config), "");

  function refuse(req: FastifyRequest, reply: FastifyReply, err: AppError) {
    const view = ctx.view(req, reply);
    return sendPage(reply, err.code === "sso_unavailable" ? 503 : 403, ssoProblemPage(view, err, oidc.name));
  }

  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/signin/oidc", async (req, reply) => {
      const next = safeNext(field(req.query, "next") || "/dashboard");
      try {
        const { url, pending } = await rp.start(next);
        reply.setCookie(cookie, rp.seal(pending), {
          path: "/",
          maxAge: PENDING_SECONDS,
          httpOnly: true,
          sameSite: "lax",
          secure,
        });
        return reply.redirect(url.href, 303);
      } catch (err) {
        if (isAppError(err, "sso_unavailable")) return refuse(req, reply, err);
        throw err;
      }
    });

    app.get("/signin/oidc/callback", async (req, reply) => {
      const pending = rp.open(req.cookies[cookie]);
      reply.clearCookie(cookie, { path: "/", httpOnly: true, sameSite: "lax", secure });
      const caller = ctx.caller(req);
      try {
        if (pending === null) {
          await recordSsoFailure(deps, caller, "flow");
          req.log.warn(
            "single sign-on refused: no pending sign-in in this browser (expired, or started elsewhere)",
          );
          return refuse(req, reply, new AppError("sso_refused", { reason: "flow" }));
        }
        let identity: Awaited<ReturnType<typeof rp.finish>>;
        try {
          identity = await rp.finish(new URL(req.url, origin), pending);
        } catch (err) {
          if (isAppError(err, "sso_refused")) await recordSsoFailure(deps, caller, "flow");
          throw err;
        }
        const token = await ssoSignIn(deps, caller, identity);
        const old = session.read(req);
        if (old !== undefined) await signOut(deps, old);
        session.set(reply, token);
        return reply.redirect(pending.next, 303);
      } catch (err) {
        if (
          isAppError(err, "sso_refused") ||
          isAppError(err, "sso_unavailable") ||
          isAppError(err, "account_disabled")
        )
          return refuse(req, reply, err);
        throw err;
      }
    });
  };
}
