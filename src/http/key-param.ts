import type { FastifyRequest } from "fastify";
import { isWellFormedKey } from "../crypto/ids.js";
import { AppError } from "../domain/errors.js";

/**
 * An onRequest hook for the routes that take a secret or metadata key (`:key`): a key outside the
 * key alphabet (a CR or LF, a non-Latin-1 character, anything a percent-escape can make) is an
 * unknown secret at once, before the body is read and before the key can reach a header, a
 * redirect or the store.
 */
export async function refuseMalformedKey(req: FastifyRequest): Promise<void> {
  const { key } = (req.params ?? {}) as { key?: unknown };
  if (typeof key === "string" && !isWellFormedKey(key)) throw new AppError("unknown_secret", { key });
}
