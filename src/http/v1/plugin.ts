import multipart from "@fastify/multipart";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../actions/deps.js";
import { OtsError, StoreUnavailableError } from "../../domain/errors.js";
import { registerBodyParsers } from "../body.js";
import { logUnexpected } from "../errors.js";
import { UNAVAILABLE, UNEXPECTED, type V1Error, v1Error } from "./errors.js";
import { v1Routes } from "./routes.js";

/**
 * The v1 surface: its body parsers, its routes and its error mapping. Every error is HTTP 404 with
 * the exact v1 message, plus X-OTS-Intended-Status carrying the status a modern client expects.
 */
export function v1Plugin(deps: Deps) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    registerBodyParsers(app);
    const { bodyLimit, secretMaxLength, passphraseMaxLength } = deps.config;
    await app.register(multipart, {
      attachFieldsToBody: "keyValues",
      // busboy silently cuts a field at fieldSize bytes. Keeping it above the largest valid secret
      // and passphrase means a cut value always fails its size check: it is never stored altered.
      limits: {
        fields: 64,
        fieldSize: Math.max(bodyLimit, secretMaxLength + 1, 4 * passphraseMaxLength + 1),
        files: 0,
        parts: 64,
      },
    });
    // Multipart bodies are read in @fastify/multipart's preValidation hook, where a malformed body
    // fails with busboy's plain errors. A request that reaches this later hook has had its body read.
    const bodyRead = new WeakSet<FastifyRequest>();
    app.addHook("preValidation", async (req) => {
      bodyRead.add(req);
    });

    app.setErrorHandler((err: FastifyError | OtsError | StoreUnavailableError, req, reply) => {
      const path = req.url.split("?")[0] ?? "";
      let answer: V1Error;
      if (err instanceof OtsError) {
        answer = v1Error(err, path);
      } else if (err instanceof StoreUnavailableError) {
        req.log.warn({ store: deps.store.name, cause: errorName(err.cause) }, "store unavailable");
        answer = UNAVAILABLE;
      } else if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") {
        // Only a body over BODY_LIMIT is "too large"; multipart's file/part/field count limits
        // (also 413) mean a payload v1 does not take, such as a file upload.
        answer = v1Error(new OtsError("secret_too_large", { max: deps.config.secretMaxLength }), path);
      } else if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
        answer = v1Error(new OtsError("bad_payload"), path);
      } else if (req.isMultipart() && !bodyRead.has(req)) {
        answer = v1Error(new OtsError("bad_payload"), path);
      } else {
        logUnexpected(req.log, err);
        answer = UNEXPECTED;
      }
      return reply.code(404).header("x-ots-intended-status", String(answer.intended)).send(answer.body);
    });

    await app.register(v1Routes(deps));
  };
}

function errorName(err: unknown): string {
  if (err instanceof Error) return (err as NodeJS.ErrnoException).code ?? err.name;
  return typeof err;
}
