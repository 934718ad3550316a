import type { FastifyInstance } from "fastify";
import { AppError } from "../domain/errors.js";

export type Params = Record<string, unknown>;
type Form = Record<string, string | string[]>;

const INVALID = Symbol("invalid-query");
const UNREADABLE = Symbol("unreadable-form");

/**
 * More fields than any form or API call of this server sends. A body or query with more is refused
 * before it is decoded: 32,000 empty fields fit in 64 kB, and parsing them costs far more than
 * counting them. Multipart bodies have the same cap (v1/plugin.ts).
 */
export const MAX_FIELDS = 64;
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
/** A UTF-16 surrogate without its pair (the `u` flag keeps pairs whole): UTF-8 cannot carry it. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Parses `a=1&b=2&b=3` (`+` is a space; repeated names become arrays). Invalid percent-encoding or
 * invalid UTF-8 throws: a secret is never silently altered into something the sender did not write.
 * So does a text of more than MAX_FIELDS pairs (empty ones included), before anything is decoded.
 */
export function parseForm(text: string): Form {
  const out: Form = Object.create(null);
  if (text === "") return out;
  if (tooManyFields(text)) throw new AppError("bad_payload");
  for (const pair of text.split("&")) {
    if (pair !== "") addPair(out, pair);
  }
  return out;
}

function tooManyFields(text: string | Buffer): boolean {
  let fields = 1;
  for (let at = text.indexOf("&"); at !== -1; at = text.indexOf("&", at + 1)) {
    if (++fields > MAX_FIELDS) return true;
  }
  return false;
}

function addPair(out: Form, pair: string): void {
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

/**
 * The pages' form bodies, read field by field: a field whose bytes are not UTF-8 or whose
 * percent-encoding is invalid is left out (never stored altered), and the form is marked
 * unreadable, so that the page can say so and keep the fields it could read. More than MAX_FIELDS
 * fields is bad_payload, as in parseForm.
 */
export function readPageForm(body: Buffer): Form {
  if (tooManyFields(body)) throw new AppError("bad_payload");
  const out: Form = Object.create(null);
  let unreadable = false;
  for (let start = 0; start < body.length; ) {
    const amp = body.indexOf(0x26, start);
    const end = amp < 0 ? body.length : amp;
    if (end > start) {
      try {
        addPair(out, strictUtf8.decode(body.subarray(start, end)));
      } catch {
        unreadable = true;
      }
    }
    start = end + 1;
  }
  if (unreadable) markUnreadable(out);
  return out;
}

/** Marks a form read some other way (multipart) as holding a field it could not read exactly. */
export function markUnreadable(form: object): void {
  Object.defineProperty(form, UNREADABLE, { value: true });
}

export function isUnreadableForm(body: unknown): boolean {
  return typeof body === "object" && body !== null && UNREADABLE in body;
}

/**
 * Multipart fields as busboy decoded them. Bytes that were not UTF-8 became U+FFFD on the way, which
 * cannot be told from a U+FFFD that was sent, so either refuses the body (bad_payload), as does a
 * lone surrogate (which a part declared UTF-16 can carry): a secret is never stored altered.
 */
export function checkMultipartText(fields: Params): void {
  for (const value of Object.values(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === "string" && !isExactMultipartText(item)) throw new AppError("bad_payload");
    }
  }
}

/** A multipart field busboy decoded that is surely what was sent (checkMultipartText's rule). */
export function isExactMultipartText(value: string): boolean {
  return !value.includes("\uFFFD") && !LONE_SURROGATE.test(value);
}

/** JSON.parse's reviver: a string (or a name) holding a lone surrogate, which UTF-8 cannot store. */
function refuseLoneSurrogate(name: string, value: unknown): unknown {
  if (LONE_SURROGATE.test(name) || (typeof value === "string" && LONE_SURROGATE.test(value))) {
    throw new AppError("bad_payload");
  }
  return value;
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
 * Form names in brackets become nested objects, as Rack and upstream read them:
 * `secret[secret]=x&secret[ttl]=60` is `{secret: {secret: "x", ttl: "60"}}` and `a[]=1&a[]=2` is
 * `{a: ["1", "2"]}`. Where a plain name and a nested one collide, the later one wins.
 */
export function nestBrackets(flat: Record<string, string | string[]>): Params {
  const out: Params = Object.create(null);
  for (const [name, value] of Object.entries(flat)) {
    const path = /^([^[\]]+)((?:\[[^[\]]*\])+)$/.exec(name);
    if (path?.[1] === undefined || path[2] === undefined) {
      out[name] = value;
      continue;
    }
    const segments = [path[1], ...[...path[2].matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? "")];
    let node = out;
    for (let i = 0; i < segments.length - 1; i++) {
      const segment = segments[i] as string;
      const next = segments[i + 1] as string;
      if (next === "") {
        // `name[]`: the values as a list (only as the last segment).
        if (i + 1 === segments.length - 1) node[segment] = Array.isArray(value) ? value : [value];
        node = Object.create(null);
        break;
      }
      const child = node[segment];
      if (typeof child !== "object" || child === null || Array.isArray(child))
        node[segment] = Object.create(null);
      node = node[segment] as Params;
      if (i + 1 === segments.length - 1) node[next] = value;
    }
  }
  return out;
}

export interface BodyParserOptions {
  /** v1: a body of any other Content-Type (or none) is read as a form. Otherwise it is refused (415). */
  anyType?: boolean;
  /** API v2: form names in brackets nest (nestBrackets). */
  nested?: boolean;
}

/**
 * Body parsers for every encoding v1 clients use: JSON (an empty body is no parameters; a lone
 * surrogate anywhere in it is refused), form
 * bodies with or without a Content-Type (any unknown type is read as a form), and multipart
 * (registered separately). Errors are AppError("bad_payload") and never carry the body. API v2
 * takes JSON and nested forms only.
 */
export function registerBodyParsers(
  app: FastifyInstance,
  { anyType = true, nested = false }: BodyParserOptions = {},
): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body: Buffer, done) => {
    const text = utf8(body).trim();
    if (text === "") return done(null, {});
    let parsed: unknown;
    try {
      // `"\ud800"` is valid JSON but no text: stored as UTF-8 it would come back as U+FFFD.
      parsed = JSON.parse(text, refuseLoneSurrogate);
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
      const fields = parseForm(utf8(body));
      done(null, nested ? nestBrackets(fields) : fields);
    } catch (err) {
      done(err as Error, undefined);
    }
  };
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "buffer" }, form);
  if (anyType) app.addContentTypeParser("*", { parseAs: "buffer" }, form);
}
