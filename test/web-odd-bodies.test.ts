// Every web form, sent what no browser sends: no body at all, an empty one, JSON (an object and an
// array), plain text, multipart, a huge field. Each is refused by the app's own handlers (400, 403
// or 413 over BODY_LIMIT, its security headers on), never a 500; nothing is created, revealed or burned.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { createViaForm, signUpViaForm, visitor } from "./support/web-support.js";

let t: TestApp;
let cookie: string;
let secretPath: string;
let receiptPath: string;

before(async () => {
  t = await makeTestApp({
    RATE_LIMIT_ENABLED: "false",
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: "9",
    FROM_EMAIL: "secrets@example.org",
  });
  const v = visitor(t.app);
  // AUTH_AUTOVERIFY: signing up signs in.
  await signUpViaForm(v, "odd@example.org", "a long enough password");
  ({ secretPath, receiptPath } = await createViaForm(v, { secret: "still here" }));
  cookie = [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; ");
});
after(() => t.close());

/** Every POST route the pages serve (/prefs answers a bad token with its redirect, by design). */
const formPaths = () => [
  "/create",
  "/signup",
  "/signin",
  "/signout",
  "/forgot",
  "/verify/abc",
  "/reset/abc",
  secretPath,
  `${receiptPath}/burn`,
  `${receiptPath.replace("/receipt/", "/private/")}/burn`,
  "/account/token",
  "/account/password",
  "/account/language",
  "/account/delete",
];

const BOUNDARY = "odd-boundary";
const bodies: [string, Omit<InjectOptions, "method" | "url">][] = [
  ["no body, no type", {}],
  ["an empty form", { headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "" }],
  ["a JSON object", { headers: { "content-type": "application/json" }, payload: '{"_csrf":"x"}' }],
  ["a JSON array", { headers: { "content-type": "application/json" }, payload: '["_csrf"]' }],
  ["plain text", { headers: { "content-type": "text/plain" }, payload: "_csrf=x" }],
  [
    "multipart",
    {
      headers: { "content-type": `multipart/form-data; boundary=${BOUNDARY}` },
      payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nx\r\n--${BOUNDARY}--\r\n`,
    },
  ],
  [
    "a huge field",
    {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `secret=${"x".repeat(60_000)}`,
    },
  ],
  [
    "a field over BODY_LIMIT",
    {
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `secret=${"x".repeat(70_000)}`,
    },
  ],
  [
    "repeated tokens",
    { headers: { "content-type": "application/x-www-form-urlencoded" }, payload: "_csrf=a&_csrf=b" },
  ],
];

function assertRefused(res: LightMyRequestResponse, what: string): void {
  assert.ok([400, 403, 413].includes(res.statusCode), `${what}: ${res.statusCode} ${res.body.slice(0, 120)}`);
  assert.equal(res.headers["x-frame-options"], "DENY", what);
  assert.match(String(res.headers["content-security-policy"]), /default-src 'none'/, what);
  assert.equal(res.headers["x-content-type-options"], "nosniff", what);
}

describe("web forms sent odd bodies", () => {
  for (const [name, request] of bodies) {
    test(`${name}: 400 or 403 from every form, signed in or not`, async () => {
      for (const path of formPaths()) {
        for (const headers of [{}, { cookie }]) {
          const res = await t.app.inject({
            method: "POST",
            url: path,
            ...request,
            headers: { ...request.headers, ...headers },
          });
          if (path.startsWith("/account/") && !("cookie" in headers)) {
            // Signed out, the account forms send the browser to sign in first (a body that cannot
            // be read at all is refused before that).
            if (res.statusCode === 303) continue;
          }
          assertRefused(res, `${name} POST ${path}${"cookie" in headers ? " (signed in)" : ""}`);
        }
      }
    });
  }

  test("nothing was burned or revealed meanwhile", async () => {
    const res = await t.app.inject({ method: "GET", url: receiptPath, headers: { cookie } });
    assert.equal(res.statusCode, 200);
    const page = await t.app.inject({ method: "GET", url: secretPath });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /still here/);
  });
});
