import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.js";
import { checkMultipartText, isInvalidQuery, type Params } from "../body.js";

/**
 * v1 parameters from the query string and the body, in any mix; the body wins on conflict.
 * Values are read loosely (JSON numbers and booleans become strings, arrays give their first item
 * for single-valued names) and empty strings mean "not given".
 */
export function v1Params(req: FastifyRequest): Params {
  if (isInvalidQuery(req.query)) throw new AppError("bad_payload");
  const query = (req.query ?? {}) as Params;
  const body =
    typeof req.body === "object" && req.body !== null && !Buffer.isBuffer(req.body)
      ? (req.body as Params)
      : {};
  if (req.isMultipart()) checkMultipartText(body);
  return { ...query, ...body };
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  // Whole numbers in full digits: String(1e21) is "1e+21", which would read as a TTL of 1.
  if (typeof value === "number" && Number.isFinite(value)) {
    return Number.isInteger(value) ? BigInt(value).toString() : String(value);
  }
  if (typeof value === "boolean") return String(value);
  return undefined;
}

/** A single-valued parameter, or undefined when missing or empty. */
export function param(params: Params, name: string): string | undefined {
  const raw = params[name];
  const value = Array.isArray(raw) ? scalar(raw[0]) : scalar(raw);
  return value === "" ? undefined : value;
}

/**
 * v1's `ttl` in seconds, read like Ruby's to_i: the leading digits, 0 when there are none (`abc`).
 * Missing, blank or zero (`0`, `00`, `-0`, `0.0`) is not given: the default. Never refused; the
 * domain clamps what comes out (effectiveTtl), Infinity included for digits past a double's range.
 */
export function ttlParam(params: Params): number | undefined {
  const raw = param(params, "ttl");
  if (raw === undefined || raw.trim() === "" || /^\s*[+-]?0+(\.0*)?\s*$/.test(raw)) return undefined;
  const digits = /^\s*([+-]?\d+)/.exec(raw)?.[1];
  return digits === undefined ? 0 : Number(digits);
}

/** `recipient`, repeated or as `recipient[]`, or a JSON array; empty values dropped. */
export function recipientsParam(params: Params): string[] {
  const values = [params.recipient, params["recipient[]"]].flatMap((v) => (Array.isArray(v) ? v : [v]));
  return values.map(scalar).filter((v): v is string => v !== undefined && v.trim() !== "");
}
