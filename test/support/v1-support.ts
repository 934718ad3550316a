// What the v1 contract tests share (v1-contract, v1-encodings, v1-states): the field lists of spec §4,
// assertions on status, headers and JSON types, request builders for each encoding, and a clock the
// test moves by hand (actions read `deps.now()`, so replacing it moves the whole server in time).
import assert from "node:assert/strict";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

export type Json = Record<string, unknown>;

export const JSON_UTF8 = "application/json; charset=utf-8";

/** Secret and metadata keys: 160 bits in base 36, always 31 characters. */
export const KEY = /^[0-9a-z]{31}$/;

export const STATES = ["new", "viewed", "received", "burned", "expired", "orphaned"];

/** The share response, in this order; metadata reads of a live secret carry the same keys. */
export const SHARE_KEYS = [
  "custid",
  "metadata_key",
  "secret_key",
  "ttl",
  "metadata_ttl",
  "secret_ttl",
  "state",
  "updated",
  "created",
  "recipient",
  "share_domain",
  "passphrase_required",
];

/** After a reveal: no secret_key, no secret_ttl, no passphrase_required; `received` added. */
export const RECEIVED_KEYS = [
  "custid",
  "metadata_key",
  "ttl",
  "metadata_ttl",
  "state",
  "updated",
  "created",
  "received",
  "recipient",
  "share_domain",
];

/** burned, expired, orphaned (and burn's `state` object): secret_key "", secret_ttl null. */
export const GONE_KEYS = [
  "custid",
  "metadata_key",
  "secret_key",
  "ttl",
  "metadata_ttl",
  "secret_ttl",
  "state",
  "updated",
  "created",
  "recipient",
  "share_domain",
];

/** Items of `recent` (a received item also carries `received`). */
export const RECENT_KEYS = GONE_KEYS.filter((k) => k !== "secret_key");

export function assertKeys(obj: unknown, keys: string[]): void {
  assert.deepEqual(Object.keys(obj as Json).sort(), [...keys].sort());
}

/** A 200 JSON answer: the body, parsed. */
export function ok(res: LightMyRequestResponse): Json {
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers["content-type"], JSON_UTF8);
  assert.equal(res.headers["x-ots-intended-status"], undefined);
  return res.json() as Json;
}

/** A v1 error: always HTTP 404, the real status in X-OTS-Intended-Status, exactly this body. */
export function expectError(res: LightMyRequestResponse, intended: number, body: Json): void {
  assert.equal(res.statusCode, 404, res.body);
  assert.equal(res.headers["content-type"], JSON_UTF8);
  assert.equal(res.headers["x-ots-intended-status"], String(intended));
  assert.deepEqual(res.json(), body);
}

export const expectNotFound = (res: LightMyRequestResponse) => expectError(res, 404, { error: "Not Found" });
export const expectUnknown = (res: LightMyRequestResponse, key: string) =>
  expectError(res, 404, { message: "Unknown secret", secret_key: key });
export const expectNotAuthorized = (res: LightMyRequestResponse) =>
  expectError(res, 401, { message: "Not authorized" });

/** Every field of a metadata object has the JSON type of spec §4, and no other field appears. */
export function assertMetadataTypes(m: Json): void {
  const known = new Set([...SHARE_KEYS, "received", "value"]);
  for (const key of Object.keys(m)) assert.ok(known.has(key), `unexpected field ${key}`);
  for (const key of ["custid", "metadata_key", "state", "share_domain"]) {
    assert.equal(typeof m[key], "string", key);
  }
  for (const key of ["ttl", "metadata_ttl", "updated", "created"]) {
    assert.ok(Number.isInteger(m[key]), `${key} must be an integer, got ${JSON.stringify(m[key])}`);
  }
  if ("received" in m) assert.ok(Number.isInteger(m.received), "received must be an integer");
  if ("secret_ttl" in m) assert.ok(m.secret_ttl === null || Number.isInteger(m.secret_ttl), "secret_ttl");
  if ("secret_key" in m) assert.equal(typeof m.secret_key, "string");
  if ("passphrase_required" in m) assert.equal(typeof m.passphrase_required, "boolean");
  if ("value" in m) assert.equal(typeof m.value, "string");
  assert.ok(Array.isArray(m.recipient), "recipient must be an array");
  for (const r of m.recipient as unknown[]) assert.equal(typeof r, "string");
  assert.ok(STATES.includes(m.state as string), `state ${String(m.state)}`);
}

export function postJson(app: FastifyInstance, path: string, body: unknown, headers: Json = {}) {
  return app.inject({
    method: "POST",
    url: `/api/v1${path}`,
    headers: { "content-type": "application/json", ...headers } as Record<string, string>,
    payload: JSON.stringify(body),
  });
}

/** A multipart/form-data body written by hand, as curl -F sends it. */
export function multipartBody(fields: [string, string][], boundary = "----onetime-test-b0undary") {
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    payload: `${parts.join("")}--${boundary}--\r\n`,
  };
}

export function reveal(app: FastifyInstance, key: string, form: Record<string, string> = {}, headers = {}) {
  return app.inject({
    method: "POST",
    url: `/api/v1/secret/${key}`,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    payload: new URLSearchParams(form).toString(),
  });
}

export function readMetadata(app: FastifyInstance, key: string, { method = "GET", prefix = "private" } = {}) {
  return app.inject({ method: method as "GET" | "POST", url: `/api/v1/${prefix}/${key}` });
}
