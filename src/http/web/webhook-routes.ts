import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { SessionAccount } from "../../actions/session-account.js";
import { addWebhook, listWebhooks, removeWebhook } from "../../actions/webhooks.js";
import { field, sendPage, type WebContext, withQuery } from "./context.js";
import type { View } from "./layout.js";
import { formProblem } from "./messages.js";
import { openNote, sealNote } from "./note.js";
import { webhooksPage } from "./pages/webhooks.js";

/** The account's webhooks page (docs/webhooks.md): list, add (the secret shown once), remove. */
export function webhookRoutes(ctx: WebContext) {
  const { deps, csrf, cookies } = ctx;
  // The new endpoint's secret crosses the POST → 303 → GET sealed in a cookie bound to this
  // session, as the API token does: shown once, and a reload adds nothing.
  const secretCookie = {
    path: "/account/webhooks",
    maxAge: 300,
    httpOnly: true,
    sameSite: "strict" as const,
    secure: deps.config.ssl,
  };
  const aad = (account: SessionAccount) => `webhook:${account.sessionId}`;
  const accountIdOf = (account: SessionAccount) => deps.vault.accountId(account.email);

  function signedIn(req: FastifyRequest, reply: FastifyReply, view: View): SessionAccount | null {
    const account = ctx.account(req);
    if (account === null)
      void reply.redirect(withQuery(view.href("/signin"), { next: "/account/webhooks" }), 303);
    return account;
  }

  async function page(
    view: View,
    account: SessionAccount,
    extra: { added?: { id: string; secret: string }; error?: string },
  ) {
    const endpoints = await listWebhooks(deps, accountIdOf(account));
    return webhooksPage(view, { endpoints, added: extra.added ?? null, error: extra.error });
  }

  function form(
    action: (
      req: FastifyRequest,
      reply: FastifyReply,
      view: View,
      account: SessionAccount,
    ) => Promise<unknown>,
  ) {
    return async (req: FastifyRequest, reply: FastifyReply) => {
      const view = ctx.view(req, reply);
      const account = signedIn(req, reply, view);
      if (account === null) return reply;
      if (!csrf.verify(req, req.body as Record<string, unknown>))
        return sendPage(reply, 403, await page(view, account, { error: view.t("form.error.expired") }));
      try {
        await action(req, reply, view, account);
        return reply;
      } catch (err) {
        const problem = formProblem(view.t, err, "account");
        if (problem === null) throw err;
        return sendPage(reply, problem.status, await page(view, account, { error: problem.message }));
      }
    };
  }

  return async function register(app: FastifyInstance): Promise<void> {
    if (!deps.config.webhooks.enabled) return;

    app.get("/account/webhooks", async (req, reply) => {
      const view = ctx.view(req, reply);
      const account = signedIn(req, reply, view);
      if (account === null) return reply;
      const sealed = req.cookies[cookies.webhook];
      let added: { id: string; secret: string } | undefined;
      if (sealed !== undefined) {
        const opened = openNote(deps.webKeys.flash, aad(account), sealed);
        if (opened !== null) added = JSON.parse(opened) as { id: string; secret: string };
        reply.clearCookie(cookies.webhook, { path: secretCookie.path });
      }
      return sendPage(reply, 200, await page(view, account, { added }));
    });

    app.post(
      "/account/webhooks",
      form(async (req, reply, view, account) => {
        const body = req.body as Record<string, unknown>;
        const asked = body.events;
        const events = (Array.isArray(asked) ? asked : [asked]).filter(
          (e): e is string => typeof e === "string",
        );
        const added = await addWebhook(deps, accountIdOf(account), { url: field(body, "url"), events });
        reply.setCookie(
          cookies.webhook,
          sealNote(deps.webKeys.flash, aad(account), JSON.stringify(added)),
          secretCookie,
        );
        return reply.redirect(view.href("/account/webhooks"), 303);
      }),
    );

    app.post(
      "/account/webhooks/remove",
      form(async (req, reply, view, account) => {
        await removeWebhook(deps, accountIdOf(account), field(req.body, "id"));
        return reply.redirect(view.href("/account/webhooks"), 303);
      }),
    );
  };
}
