import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { answerRequest } from "../../actions/request-answer.js";
import {
  closeRequest,
  createRequest,
  listRequests,
  manageRequest,
  readRequest,
} from "../../actions/requests.js";
import { fromBase64Url } from "../../crypto/zk.js";
import { isAppError } from "../../domain/errors.js";
import { setRetryAfter } from "../errors.js";
import { refuseMalformedKey } from "../key-param.js";
import { field, sendPage, type WebContext } from "./context.js";
import { formProblem } from "./messages.js";
import { dashboardRequests } from "./pages/dashboard-requests.js";
import { defaultLifetime, lifetimes } from "./pages/home.js";
import { answerPage, requesterPage, requestForm } from "./pages/requests.js";
import { zkReveal } from "./zk-reveal-route.js";

// Secret requests on the web (docs/requests.md, docs/web.md). The page script (web/requests.ts) makes
// the key pair and seals each answer; these routes only carry public keys, ciphertexts and proofs,
// CSRF-checked, to the same actions as API v2, and answer the script in JSON.

type KeyRoute = { Params: { key: string } };

/** Thrown by bytesOf on a field that is not base64url. */
class Unreadable extends Error {}

function bytesOf(body: unknown, name: string): Uint8Array {
  const text = field(body, name);
  if (text === "" || !/^[A-Za-z0-9_-]+$/.test(text)) throw new Unreadable(name);
  return fromBase64Url(text);
}

export function requestRoutes(ctx: WebContext) {
  const { deps, csrf } = ctx;
  const options = lifetimes(deps.config, deps.config.ttlMax);

  /** The dashboard's form, for account-routes.ts. */
  const form = (view: Parameters<typeof requestForm>[0]) =>
    requestForm(view, { options, ttl: defaultLifetime(options, deps.config.defaultTtl) });

  /** The dashboard's list of the account's requests and their answers, for account-routes.ts. */
  const list = async (req: FastifyRequest, view: Parameters<typeof requestForm>[0]) =>
    dashboardRequests(view, await listRequests(deps, ctx.caller(req)));

  /** A script's POST: CSRF, then the action; a known refusal as {error} with its status. */
  async function scripted(req: FastifyRequest, reply: FastifyReply, run: () => Promise<unknown>) {
    const view = ctx.view(req, reply);
    if (!csrf.verify(req, req.body as Record<string, unknown>)) {
      return reply.code(403).send({ error: view.t("form.error.expired") });
    }
    try {
      return reply.send(await run());
    } catch (err) {
      if (err instanceof Unreadable) return reply.code(400).send({ error: view.t("form.error.unreadable") });
      const problem = formProblem(view.t, err, "create");
      if (problem === null) {
        if (isAppError(err) && err.code.startsWith("unknown")) return reply.code(404).send({ error: "" });
        if (isAppError(err, "request_closed")) return reply.code(410).send({ error: view.t("request.shut") });
        throw err;
      }
      setRetryAfter(reply, err);
      return reply.code(problem.status).send({ error: problem.message });
    }
  }

  async function register(app: FastifyInstance): Promise<void> {
    app.post("/request", async (req, reply) => {
      if (ctx.account(req) === null) return reply.code(401).send({ error: "" });
      return scripted(req, reply, async () => {
        const view = await createRequest(deps, ctx.caller(req), {
          note: field(req.body, "note"),
          publicKey: bytesOf(req.body, "public_key"),
          ttl: Number(field(req.body, "ttl")) || undefined,
          answers: Number(field(req.body, "answers")) || undefined,
        });
        return { request: `/request/${view.requestKey}`, requester: `/requester/${view.manageKey}` };
      });
    });

    app.get<KeyRoute>("/request/:key", { onRequest: refuseMalformedKey }, async (req, reply) => {
      const view = ctx.view(req, reply);
      const found = await readRequest(deps, ctx.caller(req), req.params.key);
      return sendPage(reply, 200, answerPage(view, { note: found.note, state: found.state }));
    });

    app.post<KeyRoute>("/request/:key/answer", { onRequest: refuseMalformedKey }, async (req, reply) =>
      scripted(req, reply, async () => {
        const result = await answerRequest(deps, ctx.caller(req), req.params.key, {
          client: {
            blob: bytesOf(req.body, "zk_blob"),
            proof: bytesOf(req.body, "zk_proof"),
            kdf: null,
            hasFile: false,
          },
          senderKey: bytesOf(req.body, "sender_key"),
        });
        return { used: result.answersUsed, max: result.answersMax };
      }),
    );

    app.get<KeyRoute>("/requester/:key", { onRequest: refuseMalformedKey }, async (req, reply) => {
      const view = ctx.view(req, reply);
      const request = await manageRequest(deps, ctx.caller(req), req.params.key);
      return sendPage(reply, 200, requesterPage(view, { request }));
    });

    // The page script opens an answer here, on the page's own address: the answer's secret, if it is
    // one of this request's, through the zero-knowledge reveal (a wrong proof consumes nothing).
    app.post<KeyRoute>("/requester/:key", { onRequest: refuseMalformedKey }, async (req, reply) => {
      if (!csrf.verify(req, req.body as Record<string, unknown>)) {
        return reply.code(403).send({ error: ctx.view(req, reply).t("form.error.expired") });
      }
      const secret = field(req.body, "secret");
      const request = await manageRequest(deps, ctx.caller(req), req.params.key);
      if (secret === "" || !request.answers.some((a) => a.receipt.secretKey === secret)) {
        return reply.code(404).send({ error: "" });
      }
      req.params.key = secret;
      return zkReveal(ctx, req, reply);
    });

    app.post<KeyRoute>("/requester/:key/close", { onRequest: refuseMalformedKey }, async (req, reply) => {
      const view = ctx.view(req, reply);
      const back = view.href(`/requester/${req.params.key}`);
      if (!csrf.verify(req, req.body as Record<string, unknown>)) {
        const request = await manageRequest(deps, ctx.caller(req), req.params.key);
        const error = view.t("form.error.expired");
        return sendPage(reply, 403, requesterPage(view, { request, error }));
      }
      await closeRequest(deps, ctx.caller(req), req.params.key);
      return reply.redirect(back, 303);
    });
  }

  return { register, form, list };
}
