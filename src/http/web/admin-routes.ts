import { Readable } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ACCOUNTS_SHOWN,
  type AccountChange,
  accountSummary,
  changeAccount,
  findAccounts,
} from "../../actions/admin-accounts.js";
import {
  LISTED,
  outboxView,
  overview,
  auditPage as readAudit,
  retryMail,
} from "../../actions/admin-overview.js";
import { type Admin, asAdmin, checkFreshSignIn } from "../../actions/admins.js";
import { type AuditAction, audit } from "../../actions/audit.js";
import { exportAudit } from "../../actions/audit-export.js";
import { isAppError } from "../../domain/errors.js";
import { field, sendPage, type WebContext, withQuery } from "./context.js";
import type { View } from "./layout.js";
import type { Notice } from "./messages.js";
import { overviewPage } from "./pages/admin.js";
import { accountsPage, deleteAccountPage } from "./pages/admin-accounts.js";
import { auditPage, mailPage } from "./pages/admin-log.js";
import { messagePage } from "./pages/secret.js";

// The admin pages (/admin): only for accounts in ADMIN_EMAILS (actions/admins.ts). A visitor who
// is not signed in is sent to sign in; a signed-in account that is not an admin gets 403, and the
// audit log says it tried. Every change is a POST with the session's CSRF token, from a sign-in of
// the last ADMIN_SIGNIN_MAX_AGE seconds: an older one is sent to sign in again, and comes back.

type Params = { Params: { id: string; change: string } };
type AdminRequest = FastifyRequest<Params>;

/** The changes an account's row offers, by the last segment of their URL. */
const CHANGES: Record<string, AccountChange> = {
  disable: "disable",
  enable: "enable",
  "revoke-token": "revoke_token",
  "end-sessions": "end_sessions",
  delete: "delete",
};
const ACTION_OF: Record<AccountChange, AuditAction> = {
  disable: "account_disabled",
  enable: "account_enabled",
  revoke_token: "token_revoked",
  end_sessions: "sessions_ended",
  delete: "account_deleted",
};
const NOTICE_OF: Record<AccountChange, Notice> = {
  disable: "admin_disabled",
  enable: "admin_enabled",
  revoke_token: "admin_token_revoked",
  end_sessions: "admin_sessions_ended",
  delete: "admin_deleted",
};
const ACCOUNT_ID = /^[0-9a-f]{16,128}$/;
const MAIL_ID = /^[0-9a-f]{32}$/;

export function adminRoutes(ctx: WebContext) {
  const { deps, csrf } = ctx;

  const redirect = (reply: FastifyReply, view: View, path: string, query: Record<string, string> = {}) =>
    reply.redirect(withQuery(view.href(path), query), 303);

  /** The admin of this request, or null once the reply is sent: to sign in, or 403. */
  async function gate(req: FastifyRequest, reply: FastifyReply, back: string) {
    const view = ctx.view(req, reply);
    const account = ctx.account(req);
    if (account === null) {
      void redirect(reply, view, "/signin", { next: back });
      return null;
    }
    try {
      return { view, admin: asAdmin(deps, account) };
    } catch (err) {
      if (!isAppError(err, "admin_only")) throw err;
      const denied = { action: "admin_denied" as const, actor: account.email, outcome: "denied" as const };
      await audit(deps, ctx.caller(req), { ...denied, detail: back });
      const { t } = view;
      void sendPage(
        reply,
        403,
        messagePage(view, { title: t("error.forbidden.title"), body: t("error.forbidden.body") }),
      );
      return null;
    }
  }

  /**
   * An admin change: the gate, the CSRF token, then `run`. A sign-in too old (stale_signin, from the
   * action itself) is recorded as denied and sent to sign in again, back to `back` afterwards.
   */
  function change(
    back: string,
    attempt: (req: AdminRequest) => Promise<{ action: AuditAction; target: string } | null>,
    run: (req: AdminRequest, reply: FastifyReply, view: View, admin: Admin) => Promise<FastifyReply>,
  ) {
    return async (req: AdminRequest, reply: FastifyReply) => {
      const gated = await gate(req, reply, back);
      if (gated === null) return reply;
      const { view, admin } = gated;
      const attempted = await attempt(req);
      if (attempted === null) return ctx.notFound(req, reply);
      const deny = (detail: string) =>
        audit(deps, ctx.caller(req), { ...attempted, actor: admin.email, outcome: "denied", detail });
      if (!csrf.verify(req, req.body)) {
        await deny("csrf");
        const page = messagePage(view, { title: view.t("admin.title"), body: view.t("form.error.expired") });
        return sendPage(reply, 403, page);
      }
      try {
        return await run(req, reply, view, admin);
      } catch (err) {
        if (isAppError(err, "stale_signin")) {
          await deny("signin_too_old");
          return redirect(reply, view, "/signin", { reauth: "1", next: back, notice: "signin_again" });
        }
        if (isAppError(err, "no_account")) return ctx.notFound(req, reply);
        throw err;
      }
    };
  }

  return async function register(app: FastifyInstance): Promise<void> {
    app.get("/admin", async (req, reply) => {
      const gated = await gate(req, reply, "/admin");
      if (gated === null) return reply;
      return sendPage(reply, 200, overviewPage(gated.view, await overview(deps)));
    });

    app.get("/admin/accounts", async (req, reply) => {
      const gated = await gate(req, reply, "/admin/accounts");
      if (gated === null) return reply;
      const search = field(req.query, "q").trim();
      const accounts = await findAccounts(deps, search);
      const data = { search, accounts, shown: ACCOUNTS_SHOWN, selfId: gated.admin.id };
      return sendPage(reply, 200, accountsPage(gated.view, data));
    });

    app.get("/admin/accounts/:id/delete", async (req: AdminRequest, reply) => {
      const gated = await gate(req, reply, "/admin/accounts");
      if (gated === null) return reply;
      const account = ACCOUNT_ID.test(req.params.id) ? await accountSummary(deps, req.params.id) : null;
      if (account === null || account.id === gated.admin.id) return ctx.notFound(req, reply);
      return sendPage(reply, 200, deleteAccountPage(gated.view, account));
    });

    app.post(
      "/admin/accounts/:id/:change",
      change(
        "/admin/accounts",
        async (req) => {
          const which = CHANGES[req.params.change];
          if (which === undefined || !ACCOUNT_ID.test(req.params.id)) return null;
          const account = await accountSummary(deps, req.params.id);
          return account === null ? null : { action: ACTION_OF[which], target: account.email };
        },
        async (req, reply, view, admin) => {
          const which = CHANGES[req.params.change] as AccountChange;
          const search = field(req.body, "q");
          try {
            const email = await changeAccount(deps, ctx.caller(req), admin, req.params.id, which);
            const q = which === "delete" ? "" : search || email;
            return redirect(reply, view, "/admin/accounts", { q, notice: NOTICE_OF[which] });
          } catch (err) {
            if (!isAppError(err, "admin_self")) throw err;
            return redirect(reply, view, "/admin/accounts", { q: search, notice: "admin_self" });
          }
        },
      ),
    );

    app.get("/admin/mail", async (req, reply) => {
      const gated = await gate(req, reply, "/admin/mail");
      if (gated === null) return reply;
      return sendPage(reply, 200, mailPage(gated.view, { ...(await outboxView(deps)), now: deps.now() }));
    });

    app.post(
      "/admin/mail/:id/retry",
      change(
        "/admin/mail",
        async (req) =>
          MAIL_ID.test(req.params.id) ? { action: "mail_retried", target: req.params.id } : null,
        async (req, reply, view, admin) => {
          const moved = await retryMail(deps, ctx.caller(req), admin, req.params.id);
          return redirect(reply, view, "/admin/mail", {
            notice: moved ? "mail_retried" : "mail_not_waiting",
          });
        },
      ),
    );

    app.get("/admin/audit", async (req, reply) => {
      const gated = await gate(req, reply, "/admin/audit");
      if (gated === null) return reply;
      const filter = {
        about: field(req.query, "about").trim(),
        client: /^[0-9a-f]{32}$/.test(field(req.query, "client")) ? field(req.query, "client") : "",
        ip: field(req.query, "ip").trim(),
        after: field(req.query, "after"),
      };
      const entries = await readAudit(deps, filter);
      const retentionDays = deps.config.admin.auditRetentionDays;
      return sendPage(
        reply,
        200,
        auditPage(gated.view, { ...filter, entries, listed: LISTED, retentionDays }),
      );
    });

    // A download, not a page: every entry as a JSON line, oldest first, read a page at a time.
    app.post(
      "/admin/audit/export",
      change(
        "/admin/audit",
        async () => ({ action: "audit_exported", target: "" }),
        async (req, reply, _view, admin) => {
          checkFreshSignIn(deps, admin);
          const day = new Date(deps.now()).toISOString().slice(0, 10);
          const lines = exportAudit(deps, ctx.caller(req), admin.email);
          // The first line (and the export's own entry) before the answer starts: an unavailable
          // store is a page, not a cut-off download.
          const first = await lines.next();
          const rest = Readable.from(
            (async function* () {
              if (!first.done) yield first.value;
              yield* lines;
            })(),
          );
          return reply
            .header("content-disposition", `attachment; filename="onetime-audit-${day}.jsonl"`)
            .type("application/jsonl; charset=utf-8")
            .send(rest);
        },
      ),
    );
  };
}
