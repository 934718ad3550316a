import swagger from "@fastify/swagger";
import { TypeBoxValidatorCompiler } from "@fastify/type-provider-typebox";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../actions/deps.js";
import { AppError } from "../../domain/errors.js";
import { registerBodyParsers } from "../body.js";
import { causeName, dropInvalidHeaders, logUnexpected, requestError } from "../errors.js";
import { NOT_FOUND, sendV2Error, UNEXPECTED, v2Error } from "./errors.js";
import { OPENAPI } from "./openapi.js";
import { v2RequestRoutes } from "./request-routes.js";
import { v2Routes } from "./routes.js";
import { SHARED_SCHEMAS } from "./schemas.js";

/**
 * API v2: JSON and (nested) form bodies, TypeBox schemas for validation and serialization, the
 * OpenAPI document they make, and real error statuses (errors.ts).
 */
export function v2Plugin(deps: Deps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    registerBodyParsers(app, { anyType: false, nested: true });
    app.setValidatorCompiler(TypeBoxValidatorCompiler);
    // A POST with no body at all (`curl -X POST …/reveal`) asks nothing: an empty object.
    app.addHook("preValidation", async (req) => {
      if (req.body === undefined || req.body === null) req.body = {};
    });
    for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
    await app.register(swagger, {
      openapi: OPENAPI,
      // Shared schemas keep their $id as their name under components.schemas.
      refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

    /** A body too large for a route that takes a file is the file's size error (config-files.ts). */
    const fileLimitOf = (req: FastifyRequest): number | null =>
      (req.routeOptions.config as { takesFile?: boolean }).takesFile === true
        ? deps.config.files.maxBytes
        : null;
    app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
      dropInvalidHeaders(reply);
      const known =
        err instanceof AppError ? err : fastifyError(err, deps.config.secretMaxLength, fileLimitOf(req));
      if (known?.code === "store_unavailable") {
        req.log.warn({ store: deps.store.name, cause: causeName(known) }, "store unavailable");
      }
      const answer = known === null ? null : v2Error(known, deps.config.rateLimit.windowSeconds);
      if (answer === null) logUnexpected(req.log, err);
      return sendV2Error(reply, answer ?? UNEXPECTED);
    });
    app.setNotFoundHandler((_req, reply) => sendV2Error(reply, NOT_FOUND));

    await app.register(v2Routes(deps));
    await app.register(v2RequestRoutes(deps));
  };
}

/** Fastify's own refusals in the catalogue's terms: v2 tells a bad type and a bad parameter apart. */
function fastifyError(
  err: FastifyError,
  secretMaxLength: number,
  fileMaxBytes: number | null,
): AppError | null {
  if (err.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return new AppError("unsupported_media_type");
  if (err.validation !== undefined) return new AppError("invalid_param", { field: fieldOf(err) });
  return requestError(err, secretMaxLength, fileMaxBytes);
}

/** The parameter a validation error is about: the last name of its path (`/secret/ttl` → `ttl`). */
function fieldOf(err: FastifyError): string {
  const first = err.validation?.[0];
  const params = (first?.params ?? {}) as { requiredProperties?: string[]; missingProperty?: string };
  const missing = params.requiredProperties?.[0] ?? params.missingProperty;
  const path = (first?.instancePath ?? "").split("/").filter((p) => p !== "");
  if (missing !== undefined) path.push(missing);
  return path.at(-1) ?? err.validationContext ?? "body";
}
