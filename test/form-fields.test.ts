// A body of thousands of tiny fields (64 kB holds 32,000 empty ones) is refused before it is parsed,
// in every encoding that has fields: url-encoded (with or without a Content-Type), multipart, the
// query string, and the web forms. v1 answers with its exact bad-payload shape.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { InjectOptions } from "fastify";
import { MAX_FIELDS } from "../src/http/body.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { visitor } from "./support/web-support.js";

const BOUNDARY = "fields-test-boundary";
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** `secret=kept` followed by `count` more empty fields: valid but for their number. */
const manyFields = (count: number) => `secret=kept${"&".repeat(count)}`;

function multipart(count: number): string {
  const part = (name: string, value: string) =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const parts = Array.from({ length: count }, (_, i) => part(`f${i}`, ""));
  return `${part("secret", "kept")}${parts.join("")}--${BOUNDARY}--\r\n`;
}

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", LOG_LEVEL: "info" });
});
after(() => t.close());

async function assertBadPayload(request: InjectOptions): Promise<void> {
  const res = await t.app.inject(request);
  assert.equal(res.statusCode, 404, res.body);
  assert.equal(res.headers["x-ots-intended-status"], "400");
  assert.deepEqual(res.json(), { message: "Incorrect payload format" });
}

describe("v1: more than MAX_FIELDS fields is the bad-payload error", () => {
  const share = { method: "POST", url: "/api/v1/share" } as const;

  test("url-encoded, with or without a Content-Type", async () => {
    await assertBadPayload({ ...share, headers: FORM, payload: manyFields(32000) });
    await assertBadPayload({ ...share, payload: manyFields(32000) });
    await assertBadPayload({ ...share, headers: FORM, payload: manyFields(MAX_FIELDS) });
  });

  test("multipart", async () => {
    const headers = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
    await assertBadPayload({ ...share, headers, payload: multipart(MAX_FIELDS) });
  });

  test("the query string", async () => {
    await assertBadPayload({ ...share, url: `/api/v1/share?${manyFields(MAX_FIELDS)}` });
  });

  test("up to MAX_FIELDS fields is an ordinary request", async () => {
    const res = await t.app.inject({ ...share, headers: FORM, payload: manyFields(MAX_FIELDS - 1) });
    assert.equal(res.statusCode, 200, res.body);
  });
});

test("web: a form with more than MAX_FIELDS fields is a bad request page", async () => {
  const v = visitor(t.app);
  await v.get("/");
  const res = await t.app.inject({
    method: "POST",
    url: "/create",
    headers: { ...FORM, cookie: [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; ") },
    payload: `_csrf=${encodeURIComponent(v.csrf)}&${manyFields(32000)}`,
  });
  assert.equal(res.statusCode, 400);
  assert.match(String(res.headers["content-type"]), /^text\/html/);
});
