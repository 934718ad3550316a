import type { FastifyInstance } from "fastify";
import { AppError } from "../domain/errors.js";

export type Params = Record<string, unknown>;

const INVALID = Symbol("invalid-query");

/**
 * More fields than any form or API call of this server sends. A body or query with more is refused
 * before it is decoded: 32,000 empty fields fit in 64 kB, and parsing them costs far more than
 * counting them. Multipart bodies have the same cap (v1/plugin.ts).
 */
export const MAX_FIELDS = 64;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses `a=1&b=2&b=3` (`+` is a space; repeated names become arrays). Invalid percent-encoding or
 * invalid UTF-8 throws: a secret is never silently altered into something the sender did not write.
 * So does a text of more than MAX_FIELDS pairs (empty ones included), before anything is decoded.
 */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  if (text === "") return out;
  if (tooManyFields(text)) throw new AppError("bad_payload");
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? "" : decode(pair.slice(eq + 1));
    // Append in place: copying the array on every repeat is quadratic, and one 64 kB body of
    // `a&a&…` would hold the event loop for seconds.
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [prev, value];
  }
  return out;
}

function tooManyFields(text: string): boolean {
  let fields = 1;
  for (let at = text.indexOf("&"); at !== -1; at = text.indexOf("&", at + 1)) {
    if (++fields > MAX_FIELDS) return true;
  }
  return false;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, " "));
  } catch {
    throw new AppError("bad_payload");
  }
}

/** The query string parser never throws (any route may be hit); v1 handlers check `isInvalidQuery`. */
export function lenientQuery(text: string): Params {
  try {
    return parseForm(text);
  } catch {
    const marked: Params = Object.create(null);
    Object.defineProperty(marked, INVALID, { value: true });
    return marked;
  }
}

export function isInvalidQuery(query: unknown): boolean {
  return typeof query === "object" && query !== null && INVALID in query;
}

function utf8(body: Buffer): string {
  try {
    return strictUtf8.decode(body);
  } catch {
    throw new AppError("bad_payload");
  }
}

/**
 * Body parsers for every encoding v1 clients use: JSON (an empty body is no parameters), form
 * bodies with or without a Content-Type (any unknown type is read as a form), and multipart
 * (registered separately). Errors are AppError("bad_payload") and never carry the body.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body: Buffer, done) => {
    const text = utf8(body).trim();
    if (text === "") return done(null, {});
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(new AppError("bad_payload"), undefined);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return done(new AppError("bad_payload"), undefined);
    }
    done(null, parsed);
  });
  const form = (_req: unknown, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    try {
      done(null, parseForm(utf8(body)));
    } catch (err) {
      done(err as Error, undefined);
    }
  };
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "buffer" }, form);
  app.addContentTypeParser("*", { parseAs: "buffer" }, form);
}
