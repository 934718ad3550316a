// The OpenAPI document of API v2: valid OpenAPI 3.1 (a maintained validator), the same in
// docs/openapi.json as the server serves (`npm run openapi` rewrites it), and our additions to
// upstream's v2 marked `x-onetime`. That every v2 answer matches it: v2-api and v2-errors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { Validator } from "@seriousme/openapi-schema-validator";
import { formatDocument, OPENAPI_PATH } from "../scripts/openapi.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import type { OpenApiDoc } from "./support/v2-support.js";

let t: TestApp;
let served: OpenApiDoc & Record<string, unknown>;
before(async () => {
  t = await makeTestApp();
  const res = await t.app.inject({ method: "GET", url: "/api/v2/openapi.json" });
  assert.equal(res.statusCode, 200);
  served = res.json();
});
after(() => t.close());

test("the served document is valid OpenAPI 3.1", async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(served));
  assert.equal(validator.version, "3.1");
  assert.ok(result.valid, JSON.stringify(result.errors, null, 2));
});

test("docs/openapi.json is what the server serves (run `npm run openapi` after changing a route)", () => {
  assert.equal(readFileSync(OPENAPI_PATH, "utf8"), formatDocument(served));
});

test("every v2 route is an operation; the document itself is not one", () => {
  const operations = Object.entries(served.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
  );
  // 14 for secrets and receipts, 6 for secret requests (docs/requests.md).
  assert.equal(operations.length, 20);
  assert.ok(!operations.some((op) => op.includes("openapi")));
  for (const op of operations) assert.match(op, /^(GET|POST) \/api\/v2\//);
});

test("what onetime adds to upstream's v2 is marked x-onetime", () => {
  const text = JSON.stringify(served);
  const bearer = (served.components as { securitySchemes: Record<string, Record<string, unknown>> })
    .securitySchemes.bearer;
  assert.equal(typeof bearer?.["x-onetime"], "string");
  assert.ok((text.match(/"x-onetime"/g) ?? []).length >= 3, "bearer, secret_value, continue:false");
});
