// What the API v2 suites share: requests against /api/v2 (in process or over a socket), and the
// check that every answer matches the OpenAPI document's schema for its operation and status.
import assert from "node:assert/strict";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { FastifyInstance } from "fastify";

export type Json = Record<string, unknown>;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}
export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
}

/** Checks answers against an OpenAPI document; counts what it checked. */
export class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  /** `METHOD path status` of every answer checked. */
  readonly seen = new Set<string>();

  constructor(readonly doc: OpenApiDoc) {
    // The whole document is one schema resource, so $refs to its components resolve.
    this.ajv.addSchema(doc as object, "openapi");
  }

  /** The document's path for a URL: static segments win over `{key}`, as in the router. */
  private pathOf(url: string): string | undefined {
    const path = url.split("?")[0] ?? "";
    const candidates = Object.keys(this.doc.paths).filter((p) =>
      new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path),
    );
    return candidates.sort((a, b) => a.split("{").length - b.split("{").length)[0];
  }

  /** Asserts that `body` is what the document promises for this request and status. */
  check(method: string, url: string, status: number, body: unknown): void {
    const path = this.pathOf(url);
    if (path === undefined) {
      // No operation: only the v2 not-found answer may come back.
      assert.deepEqual(body, { error: "Not Found", error_type: "NotFound" }, `${method} ${url}`);
      return;
    }
    const op = this.doc.paths[path]?.[method.toLowerCase()];
    assert.ok(op !== undefined, `${method} ${path} is not in the document`);
    const schema = op.responses?.[String(status)]?.content?.["application/json"]?.schema;
    assert.ok(schema !== undefined, `${method} ${path} has no ${status} in the document`);
    const id = `${method} ${path} ${status}`;
    let validate = this.compiled.get(id);
    if (validate === undefined) {
      const pointer = [
        "paths",
        path,
        method.toLowerCase(),
        "responses",
        String(status),
        "content",
        "application/json",
        "schema",
      ]
        .map((part) => encodeURIComponent(part.replace(/~/g, "~0").replace(/\//g, "~1")))
        .join("/");
      validate = this.ajv.compile({ $ref: `openapi#/${pointer}` });
      this.compiled.set(id, validate);
    }
    assert.ok(validate(body), `${id}: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`);
    this.seen.add(id);
  }
}

export const NOT_FOUND_BODY = '{"error":"Record not found","error_type":"RecordNotFound"}';

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export interface Call {
  json?: unknown;
  form?: string;
  /** A raw body, with its Content-Type in `headers`. */
  payload?: string | Buffer;
  headers?: Record<string, string>;
}

export interface Answer {
  status: number;
  raw: string;
  body: Json;
  headers: Record<string, unknown>;
}

/** The document the app serves, and a checker for it. */
export async function checkerFor(app: FastifyInstance): Promise<ContractChecker> {
  const doc = await app.inject({ method: "GET", url: "/api/v2/openapi.json" });
  assert.equal(doc.statusCode, 200);
  return new ContractChecker(doc.json() as OpenApiDoc);
}

/** Requests to /api/v2 in process, each JSON answer checked against the document. */
/**
 * Calls /api/v2 over a real socket: the app listens on a free loopback port on first use (and stops
 * with the app), so each answer passes through Node's HTTP server and is checked against the
 * OpenAPI document.
 */
export function v2Client(app: FastifyInstance, checker: ContractChecker) {
  let origin: Promise<string> | undefined;
  return async function call(method: string, path: string, c: Call = {}): Promise<Answer> {
    origin ??= app.listen({ port: 0, host: "127.0.0.1" });
    const url = `/api/v2${path}`;
    const type =
      c.json !== undefined
        ? "application/json"
        : c.form !== undefined
          ? "application/x-www-form-urlencoded"
          : null;
    const payload = c.json !== undefined ? JSON.stringify(c.json) : (c.form ?? c.payload);
    const res = await fetch(`${await origin}${url}`, {
      method,
      headers: { ...(type === null ? {} : { "content-type": type }), ...c.headers },
      ...(payload === undefined
        ? {}
        : { body: typeof payload === "string" ? payload : new Uint8Array(payload) }),
      redirect: "manual",
    });
    const raw = await res.text();
    const headers = Object.fromEntries(res.headers.entries());
    assert.match(String(headers["content-type"]), /^application\/json/, `${method} ${path}: ${raw}`);
    const body = JSON.parse(raw) as Json;
    checker.check(method, url, res.status, body);
    return { status: res.status, raw, body, headers };
  };
}
