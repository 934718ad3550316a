import multipart from "@fastify/multipart";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import type { Deps } from "../../actions/deps.js";
import { AppError } from "../../domain/errors.js";
import { MAX_FIELDS, registerBodyParsers } from "../body.js";
import { causeName, dropInvalidHeaders, logUnexpected, requestError } from "../errors.js";
import { sendV1Error, UNEXPECTED, v1Error } from "./errors.js";
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
        fields: MAX_FIELDS,
        fieldSize: Math.max(bodyLimit, secretMaxLength + 1, 4 * passphraseMaxLength + 1),
        files: 0,
        parts: MAX_FIELDS,
      },
    });
    // Multipart bodies are read in @fastify/multipart's preValidation hook, where a malformed body
    // fails with busboy's plain errors. A request that reaches this later hook has had its body read.
    const bodyRead = new WeakSet<FastifyRequest>();
    app.addHook("preValidation", async (req) => {
      bodyRead.add(req);
    });

    app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
      dropInvalidHeaders(reply);
      const known =
        err instanceof AppError
          ? err
          : (requestError(err, secretMaxLength) ??
            (req.isMultipart() && !bodyRead.has(req) ? new AppError("bad_payload") : null));
      if (known?.code === "store_unavailable") {
        req.log.warn({ store: deps.store.name, cause: causeName(known) }, "store unavailable");
      }
      const answer = known === null ? null : v1Error(known, req.url.split("?")[0] ?? "");
      if (answer === null) logUnexpected(req.log, err);
      return sendV1Error(reply, answer ?? UNEXPECTED);
    });

    await app.register(v1Routes(deps));
  };
}
