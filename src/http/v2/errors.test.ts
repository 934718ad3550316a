import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { AppError, ERROR_CODES, type ErrorCode } from "../../domain/errors.js";
import { V2_ERRORS, v2Error } from "./errors.js";

const HERE = import.meta.dirname;

/** Every src file the v2 plugin reaches through its relative imports (type imports included). */
function reachable(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const [, spec] of text.matchAll(/from "(\.{1,2}\/[^"]+)\.js"/g))
      visit(join(dirname(file), `${spec}.ts`));
  };
  visit(entry);
  return [...seen];
}

// Reached by the create action's imports, but it only runs in the mail worker, outside any request:
// a create queues the mail (mail/outbox.ts), never sends it.
const WORKER_ONLY = new Set([join(HERE, "../../mail/transport.ts")]);

/** The codes a v2 route can meet: thrown in what it reaches, and store_unavailable from any store. */
function codesMet(): Set<ErrorCode> {
  const codes = new Set<ErrorCode>(["store_unavailable"]);
  for (const file of reachable(join(HERE, "plugin.ts")).filter((f) => !WORKER_ONLY.has(f))) {
    for (const [, code] of readFileSync(file, "utf8").matchAll(/new AppError\(\s*"([a-z_]+)"/g)) {
      codes.add(code as ErrorCode);
    }
  }
  return codes;
}

test("every code a v2 route can meet has a status and a stable error_type", () => {
  const met = codesMet();
  // The walk does reach the actions, the domain and the body parsers.
  for (const code of ["unknown_secret", "wrong_passphrase", "bad_payload", "invalid_param"] as const) {
    assert.ok(met.has(code), code);
  }
  const missing = [...met].filter((code) => V2_ERRORS[code] === undefined);
  assert.deepEqual(missing, [], "codes v2 can meet but has no words for");
});

test("error_types are the contract's; each code keeps one status and one type", () => {
  const allowed: Record<string, number[]> = {
    BadRequest: [400],
    Unauthorized: [401],
    Forbidden: [403],
    RecordNotFound: [404],
    PayloadTooLarge: [413],
    UnsupportedMediaType: [415],
    ValidationError: [422],
    IncorrectPassphrase: [422],
    // Ours (zero-knowledge secrets, docs/api-v2.md): a reveal of a client secret without its proof.
    ClientEncrypted: [409],
    // Ours (files): never answered by v2 itself, whose reveals carry files; v1 words it.
    HoldsFile: [409],
    // Ours (secret requests, docs/requests.md): the request link takes no more answers.
    RequestClosed: [410],
    LimitExceeded: [429],
    ServiceUnavailable: [503],
  };
  for (const [code, entry] of Object.entries(V2_ERRORS)) {
    assert.ok(code in ERROR_CODES, code);
    assert.ok(allowed[entry.type]?.includes(entry.status), `${code}: ${entry.status} ${entry.type}`);
  }
});

test("a wrong passphrase names its field; a 404 carries no key; a 429 says when to come back", () => {
  assert.deepEqual(v2Error(new AppError("wrong_passphrase", { key: "abc" }), 1200)?.body, {
    error: "Incorrect passphrase",
    error_type: "IncorrectPassphrase",
    field: "passphrase",
  });
  assert.deepEqual(v2Error(new AppError("unknown_secret", { key: "abc" }), 1200), {
    status: 404,
    body: { error: "Record not found", error_type: "RecordNotFound" },
  });
  assert.equal(v2Error(new AppError("rate_limited", { retryAfter: 90 }), 1200)?.retryAfter, 90);
  assert.equal(v2Error(new AppError("rate_limited"), 1200)?.retryAfter, 1200, "unknown: the window");
  assert.equal(v2Error(new AppError("server_busy", { retryAfter: 2.5 }), 1200)?.retryAfter, 3);
  assert.equal(v2Error(new AppError("mail_refused"), 1200), null);
});
