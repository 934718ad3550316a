import type { FastifyInstance, FastifyRequest } from "fastify";
import { authenticate } from "../../actions/authenticate.js";
import { burn } from "../../actions/burn.js";
import { type CreateInput, conceal, generate } from "../../actions/create.js";
import type { Caller, Deps } from "../../actions/deps.js";
import { limit } from "../../actions/rate-limit.js";
import { showReceipt } from "../../actions/receipt.js";
import { recent } from "../../actions/recent.js";
import { reveal } from "../../actions/reveal.js";
import { AppError } from "../../domain/errors.js";
import { listedShareDomain } from "../../domain/share-domains.js";
import type { Params } from "../body.js";
import { refuseMalformedKey } from "../key-param.js";
import { requestOrigin } from "../origin.js";
import { param, recipientsParam, ttlParam, v1Params } from "./params.js";
import { burnObject, metadataObject, revealObject } from "./serialize.js";

const RECEIPT_PREFIXES = ["private", "metadata", "receipt"] as const;

/** The Onetime Secret REST API v1, mounted under /api/v1. */
export function v1Routes(deps: Deps) {
  async function context(req: FastifyRequest): Promise<{ caller: Caller; params: Params }> {
    const account = await authenticate(deps, { ip: req.ip }, req.headers.authorization);
    return { caller: { ip: req.ip, account }, params: v1Params(req) };
  }

  function createInput(req: FastifyRequest, params: Params): CreateInput {
    return {
      locale: locale(param(params, "locale"), req.headers["accept-language"]),
      secret: param(params, "secret"),
      ttl: ttlParam(params),
      passphrase: param(params, "passphrase"),
      recipients: recipientsParam(params),
      // v1's spec: a domain outside SHARE_DOMAINS is ignored (""), never refused as v2 and the pages do.
      shareDomain:
        listedShareDomain(param(params, "share_domain"), deps.config.host ?? "", deps.config.shareDomains) ??
        undefined,
    };
  }

  const status = async (req: FastifyRequest, { required }: { required: boolean }) => {
    const { caller, params } = await context(req);
    if (required && caller.account === null) throw new AppError("not_authorized");
    await limit(deps, caller, "status");
    return { status: "nominal", locale: locale(param(params, "locale"), req.headers["accept-language"]) };
  };

  /** `locale` if supported, else Accept-Language, else the default: the pages' own negotiation. */
  function locale(requested: string | undefined, acceptLanguage: string | undefined): string {
    return deps.i18n.negotiate({ query: requested, acceptLanguage });
  }

  return async function register(app: FastifyInstance): Promise<void> {
    app.addHook("onRequest", refuseMalformedKey);
    app.get("/status", (req) => status(req, { required: false }));
    app.get("/authcheck", (req) => status(req, { required: true }));

    const share = async (req: FastifyRequest) => {
      const { caller, params } = await context(req);
      const view = await conceal(deps, caller, createInput(req, params));
      return metadataObject(view, { now: deps.now() });
    };
    app.post("/share", share);
    app.post("/create", share);

    app.post("/generate", async (req) => {
      const { caller, params } = await context(req);
      const view = await generate(deps, caller, createInput(req, params));
      return metadataObject(view, { now: deps.now() });
    });

    app.post<{ Params: { key: string } }>("/secret/:key", async (req) => {
      const { caller, params } = await context(req);
      const revealed = await reveal(deps, caller, {
        secretKey: req.params.key,
        passphrase: param(params, "passphrase"),
        // v1 clients know nothing of files: a file secret is refused, nothing consumed.
        textOnly: true,
      });
      return revealObject(revealed, requestOrigin(deps.config, req));
    });

    for (const prefix of RECEIPT_PREFIXES) {
      // Static segments win over parameters in the router, so `recent` is never taken as a key.
      const list = async (req: FastifyRequest) => {
        const { caller } = await context(req);
        const now = deps.now();
        return (await recent(deps, caller)).map((view) => metadataObject(view, { now, listItem: true }));
      };
      app.get(`/${prefix}/recent`, list);
      app.post(`/${prefix}/recent`, list);

      const show = async (req: FastifyRequest<{ Params: { key: string } }>) => {
        const { caller } = await context(req);
        const view = await showReceipt(deps, caller, req.params.key);
        return metadataObject(view, { now: deps.now() });
      };
      app.get(`/${prefix}/:key`, show);
      app.post(`/${prefix}/:key`, show);

      app.post<{ Params: { key: string } }>(`/${prefix}/:key/burn`, async (req) => {
        const { caller, params } = await context(req);
        const input = { metadataKey: req.params.key, passphrase: param(params, "passphrase") };
        return burnObject(await burn(deps, caller, input), deps.now());
      });
    }
  };
}
