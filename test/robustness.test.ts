// Bad input gets a clear v1 answer, never a 5xx or a stack trace, and the server stays up: a table of
// every kind of malformed request, then a property test over the whole request space.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { basic, makeAccount, makeTestApp, share, type TestApp } from "./support/helpers.js";

const BAD_PAYLOAD = { status: "400", body: { message: "Incorrect payload format" } };
const TOO_LARGE = {
  status: "413",
  body: { message: "Secret value exceeds the maximum size of 10000 bytes" },
};
const NOT_FOUND = { status: "404", body: { error: "Not Found" } };
const NOT_AUTHORIZED = { status: "401", body: { message: "Not authorized" } };
const unknownSecret = (key: string) => ({
  status: "404",
  body: { message: "Unknown secret", secret_key: key },
});

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const JSON_TYPE = { "content-type": "application/json" };
const BOUNDARY = "----onetime-test-boundary";
const MULTIPART = { "content-type": `multipart/form-data; boundary=${BOUNDARY}` };
const BODY_LIMIT = 65536;

function multipart(fields: [string, string][]): string {
  const parts = fields.map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return `${parts.join("")}--${BOUNDARY}--\r\n`;
}

/**
 * What every answer must look like, whatever was asked: no 5xx, nothing from a stack trace, and
 * JSON — except the web pages outside /api/, which answer HTML.
 */
function assertWellFormed(res: LightMyRequestResponse, method: string, url: string): void {
  assert.ok(res.statusCode < 500, `status ${res.statusCode}: ${res.body.slice(0, 200)}`);
  const intended = Number(res.headers["x-ots-intended-status"] ?? 200);
  assert.ok(intended < 500, `intended status ${intended}: ${res.body.slice(0, 200)}`);
  assert.doesNotMatch(res.body, /\n\s+at |\bat .+:\d+:\d+|Error:|node_modules/, res.body.slice(0, 300));
  if (method === "HEAD") return;
  const type = String(res.headers["content-type"]);
  if (!url.startsWith("/api/") && type === "text/html; charset=utf-8") {
    assert.match(res.body, /^<!doctype html>\n<html lang="en" dir="ltr">/);
    return;
  }
  assert.match(type, /^application\/json; charset=utf-8$/);
  const parsed: unknown = JSON.parse(res.body);
  assert.equal(typeof parsed, "object");
}

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", LOG_LEVEL: "info" });
});
after(() => t.close());

async function assertStillUp(): Promise<void> {
  const res = await t.app.inject({ method: "GET", url: "/api/v1/status" });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: "nominal", locale: "en" });
}

interface Case {
  name: string;
  request: InjectOptions;
  expected: { status: string; body: unknown };
}

const longKey = "a".repeat(5000);
const cases: Case[] = [
  // Malformed JSON bodies.
  ...[
    ["truncated object", '{"secret":"x"'],
    ["a bare word", "secret=x"],
    ["an array", '["secret","x"]'],
    ["a number", "42"],
    ["a string", '"secret"'],
    ["null", "null"],
    ["trailing garbage", '{"secret":"x"} trailing'],
    ["deep nesting", `${"[".repeat(30000)}${"]".repeat(30000)}`],
  ].map(
    ([name, payload]): Case => ({
      name: `JSON body: ${name}`,
      request: { method: "POST", url: "/api/v1/share", headers: JSON_TYPE, payload },
      expected: BAD_PAYLOAD,
    }),
  ),
  {
    name: "JSON body with invalid UTF-8",
    request: {
      method: "POST",
      url: "/api/v1/share",
      headers: JSON_TYPE,
      payload: Buffer.concat([Buffer.from('{"secret":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]),
    },
    expected: BAD_PAYLOAD,
  },
  // Invalid percent-encoding or UTF-8, in every place parameters come from.
  ...[
    ["form body, bad escape", FORM, "secret=%zz"],
    ["form body, truncated escape", FORM, "secret=abc%"],
    ["form body, escape of invalid UTF-8", FORM, "secret=%ff%fe"],
    ["form body, bad escape in a name", FORM, "sec%ret=x"],
    ["untyped body, bad escape", {}, "secret=%E0%A4%A"],
    ["unknown type, invalid UTF-8 bytes", { "content-type": "text/plain" }, Buffer.from([0x73, 0x3d, 0xff])],
    [
      "form body, raw invalid UTF-8",
      FORM,
      Buffer.from([0x73, 0x65, 0x63, 0x72, 0x65, 0x74, 0x3d, 0xc0, 0xaf]),
    ],
  ].map(
    ([name, headers, payload]): Case => ({
      name: `${name}`,
      request: {
        method: "POST",
        url: "/api/v1/share",
        headers: headers as Record<string, string>,
        payload: payload as string,
      },
      expected: BAD_PAYLOAD,
    }),
  ),
  ...["/api/v1/share?secret=%zz", "/api/v1/share?secret=%ed%a0%80", "/api/v1/secret/abc?passphrase=%"].map(
    (url): Case => ({ name: `query string ${url}`, request: { method: "POST", url }, expected: BAD_PAYLOAD }),
  ),
  {
    name: "query string on a GET",
    request: { method: "GET", url: "/api/v1/status?locale=%G0" },
    expected: BAD_PAYLOAD,
  },
  // Malformed multipart.
  {
    name: "multipart without a boundary",
    request: {
      method: "POST",
      url: "/api/v1/share",
      headers: { "content-type": "multipart/form-data" },
      payload: "secret=x",
    },
    expected: BAD_PAYLOAD,
  },
  {
    name: "multipart that never opens a part",
    request: { method: "POST", url: "/api/v1/share", headers: MULTIPART, payload: "not multipart at all" },
    expected: BAD_PAYLOAD,
  },
  {
    name: "multipart cut off inside a part",
    request: {
      method: "POST",
      url: "/api/v1/share",
      headers: MULTIPART,
      payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="secret"\r\n\r\nhal`,
    },
    expected: BAD_PAYLOAD,
  },
  {
    name: "multipart field named __proto__",
    request: {
      method: "POST",
      url: "/api/v1/share",
      headers: MULTIPART,
      payload: multipart([["__proto__", "x"]]),
    },
    expected: BAD_PAYLOAD,
  },
  // Bodies over the limit, whatever their encoding, and secrets over the size limit.
  ...[
    ["form", FORM, `secret=${"a".repeat(BODY_LIMIT)}`],
    ["JSON", JSON_TYPE, JSON.stringify({ secret: "a".repeat(BODY_LIMIT) })],
    ["untyped", {}, `secret=${"a".repeat(BODY_LIMIT)}`],
    ["form, 1 MB", FORM, `secret=${"%41".repeat(350_000)}`],
    ["multipart", MULTIPART, multipart([["secret", "a".repeat(BODY_LIMIT + 1)]])],
    ["form, secret of 10001 bytes", FORM, `secret=${"a".repeat(10001)}`],
    [
      "JSON, secret of 10001 bytes in 2-byte characters",
      JSON_TYPE,
      JSON.stringify({ secret: "é".repeat(5001) }),
    ],
    ["multipart, secret of 10001 bytes", MULTIPART, multipart([["secret", "a".repeat(10001)]])],
  ].map(
    ([name, headers, payload]): Case => ({
      name: `too large: ${name}`,
      request: { method: "POST", url: "/api/v1/share", headers: headers as Record<string, string>, payload },
      expected: TOO_LARGE,
    }),
  ),
  {
    name: "too large: a reveal with a huge passphrase",
    request: {
      method: "POST",
      url: "/api/v1/secret/abc",
      headers: FORM,
      payload: `passphrase=${"p".repeat(70000)}`,
    },
    expected: TOO_LARGE,
  },
  // Keys with odd characters, or far too long: simply unknown, echoed as given.
  ...(
    [
      ["%3Cscript%3E", "<script>"],
      ["a%2Fb", "a/b"],
      ["a%20b", "a b"],
      ["%00", "\u0000"],
      ["%C3%A9t%C3%A9", "été"],
      ["a;b", "a;b"],
      ["'%22", `'"`],
      [longKey, longKey],
      ["A".repeat(129), "A".repeat(129)],
    ] as [string, string][]
  ).flatMap(([raw, key]): Case[] => [
    {
      name: `reveal, key ${raw.slice(0, 20)}`,
      request: { method: "POST", url: `/api/v1/secret/${raw}` },
      expected: unknownSecret(key),
    },
    {
      name: `metadata, key ${raw.slice(0, 20)}`,
      request: { method: "GET", url: `/api/v1/private/${raw}` },
      expected: unknownSecret(key),
    },
    {
      name: `burn, key ${raw.slice(0, 20)}`,
      request: { method: "POST", url: `/api/v1/receipt/${raw}/burn` },
      expected: unknownSecret(key),
    },
  ]),
  {
    name: "a key longer than any route accepts",
    request: { method: "POST", url: `/api/v1/secret/${"a".repeat(10000)}` },
    expected: NOT_FOUND,
  },
  {
    name: "invalid percent-encoding in the path",
    request: { method: "POST", url: "/api/v1/secret/%zz" },
    expected: NOT_FOUND,
  },
  // Wrong methods and unknown paths.
  ...[
    ["GET", "/api/v1/secret/abc"],
    ["GET", "/api/v1/share"],
    ["GET", "/api/v1/generate"],
    ["PUT", "/api/v1/share"],
    ["DELETE", "/api/v1/private/abc"],
    ["PATCH", "/api/v1/status"],
    ["OPTIONS", "/api/v1/create"],
    ["GET", "/api/v1/private/abc/burn"],
    ["POST", "/api/v1/status"],
    ["GET", "/api/v1/nope"],
    ["GET", "/api/v1"],
    ["GET", "/api/v3/status"],
    ["POST", "/api/v1/secret"],
    ["POST", "/api/v1/secret/abc/extra"],
    ["GET", "/api/v1/../../etc/passwd"],
  ].map(
    ([method, url]): Case => ({
      name: `${method} ${url}`,
      request: { method: method as InjectOptions["method"], url },
      expected: NOT_FOUND,
    }),
  ),
  // Unknown paths are not found whatever their body: it is read before the not-found handler runs.
  ...[
    ["a form body", FORM, "secret=x"],
    ["an empty Content-Type", { "content-type": "" }, "secret=x"],
    ["a malformed Content-Type", { "content-type": ";;" }, ""],
    ["malformed JSON", JSON_TYPE, "{"],
    ["a body over the limit", FORM, `secret=${"a".repeat(BODY_LIMIT)}`],
    ["malformed multipart", MULTIPART, "junk"],
  ].flatMap(([name, headers, payload]): Case[] =>
    ["/api/v1/nope", "/elsewhere"].map((url) => ({
      name: `POST ${url} with ${name}`,
      request: {
        method: "POST",
        url,
        headers: headers as Record<string, string>,
        payload: payload as string,
      },
      expected: NOT_FOUND,
    })),
  ),
  // Credentials that are present but not right never fall back to anonymous.
  ...[
    "junk",
    "Basic",
    "Basic !!!",
    "Bearer abc",
    `Basic ${"A".repeat(10000)}`,
    basic("nobody@example.com", "x"),
  ].map(
    (authorization): Case => ({
      name: `Authorization ${authorization.slice(0, 20)}`,
      request: { method: "POST", url: "/api/v1/share?secret=x", headers: { authorization } },
      expected: NOT_AUTHORIZED,
    }),
  ),
];

describe("malformed requests get the right v1 answer", () => {
  for (const c of cases) {
    test(c.name, async () => {
      const res = await t.app.inject(c.request);
      assertWellFormed(res, String(c.request.method), String(c.request.url));
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers["x-ots-intended-status"], c.expected.status);
      assert.deepEqual(res.json(), c.expected.body);
      await assertStillUp();
    });
  }
});

describe("absurd or non-numeric TTLs are clamped, never rejected", () => {
  const anonymous: [string, number][] = [
    ["abc", 60],
    ["-5", 60],
    ["1e400", 60],
    ["9".repeat(400), 604800],
    ["99999999999", 604800],
    ["3600.9", 3600],
    ["  7200  ", 7200],
    ["0x10", 60],
    ["NaN", 60],
    ["Infinity", 60],
    ["0", 604800],
    ["", 604800],
  ];
  for (const [ttl, expected] of anonymous) {
    test(`ttl=${JSON.stringify(ttl.slice(0, 12))} → ${expected}`, async () => {
      const created = await share(t.app, { secret: "s", ttl });
      assert.equal(created.ttl, expected);
      assert.equal(created.metadata_ttl, 2 * expected);
    });
  }

  test("JSON numbers, booleans and arrays", async () => {
    for (const [ttl, expected] of [
      [1e308, 604800], // a huge number clamps to the ceiling, like "99999999"
      [-1, 60],
      [7200.5, 7200],
      [true, 60],
      [["7200", "x"], 7200],
      [{ a: 1 }, 604800],
    ] as const) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/share",
        headers: JSON_TYPE,
        payload: JSON.stringify({ secret: "s", ttl }),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().ttl, expected, JSON.stringify(ttl));
      assert.ok(Number.isInteger(res.json().metadata_ttl));
    }
  });

  test("an account's ceiling is higher, but still a ceiling", async () => {
    const account = await makeAccount(t.deps, "ttl@example.com");
    const created = await share(
      t.app,
      { secret: "s", ttl: "9".repeat(30) },
      { authorization: account.authorization },
    );
    assert.equal(created.ttl, 2592000);
  });
});

test("a multipart field is never silently cut, whatever BODY_LIMIT says", async () => {
  const small = await makeTestApp({ BODY_LIMIT: "1024", PASSPHRASE_MAX_LENGTH: "1024" });
  try {
    const post = (fields: [string, string][]) =>
      small.app.inject({
        method: "POST",
        url: "/api/v1/share",
        headers: MULTIPART,
        payload: multipart(fields),
      });
    const secret = "s".repeat(5000);
    const created = await post([["secret", secret]]);
    assert.equal(created.statusCode, 200, created.body);
    const revealed = await small.app.inject({
      method: "POST",
      url: `/api/v1/secret/${created.json().secret_key}`,
    });
    assert.equal(revealed.json().value, secret);

    const tooLarge = await post([["secret", "s".repeat(20000)]]);
    assert.equal(tooLarge.headers["x-ots-intended-status"], "413");
    const longPassphrase = await post([
      ["secret", "s"],
      ["passphrase", "p".repeat(1500)],
    ]);
    assert.deepEqual(longPassphrase.json(), {
      message: "Passphrase must be no more than 1024 characters long",
    });
  } finally {
    await small.close();
  }
});

// Request space for the property test: v1 routes with odd keys and long segments, junk paths, every
// body encoding, random bodies, query strings and credentials.
const KEY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const PATH_JUNK = [..."-._~!$&'()*+,;=:@%", "%zz", "%ff", "%00", "%2F", "..", "//", "recent", "burn", "é"];
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...KEY_CHARS), minLength: 1, maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map(encodeURIComponent) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...PATH_JUNK, ...KEY_CHARS), { maxLength: 12 })
      .map((p) => p.join("")),
  },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 9000 }).map((n) => "k".repeat(n)) },
);
const ROUTES = [
  "status",
  "authcheck",
  "share",
  "create",
  "generate",
  "private/recent",
  "metadata/recent",
  "receipt/recent",
];
const path = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...ROUTES).map((route) => `/api/v1/${route}`) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom("secret", "private", "metadata", "receipt"),
        segment,
        fc.constantFrom("", "/burn", "/"),
      )
      .map(([prefix, key, suffix]) => `/api/v1/${prefix}/${key}${suffix}`),
  },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 5 }).map((parts) => `/api/v1/${parts.join("/")}`) },
  { weight: 1, arbitrary: fc.array(segment, { maxLength: 3 }).map((parts) => `/${parts.join("/")}`) },
);
const V1_NAMES = [
  "secret",
  "ttl",
  "passphrase",
  "recipient",
  "recipient[]",
  "share_domain",
  "locale",
  "value",
];
const params = fc.array(
  fc.tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...V1_NAMES) }, fc.string({ maxLength: 10 })),
    fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.integer().map(String),
      fc.constantFrom("", "0", "1e400", "ab@cd.ef", "Bob <bob@example.com>"),
    ),
  ),
  { maxLength: 6 },
);
const formText = params.map((pairs) =>
  pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"),
);
const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  { weight: 3, arbitrary: formText.map((text) => `?${text}`) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.constantFrom(...PATH_JUNK, "=", "&", "+", "?", "a", "1"), { maxLength: 20 })
      .map((p) => `?${p.join("")}`),
  },
);
const contentType = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  {
    weight: 5,
    arbitrary: fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "application/x-www-form-urlencoded",
      MULTIPART["content-type"],
      "multipart/form-data",
      "text/plain",
      "application/octet-stream",
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: printable, maxLength: 40 }) },
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 3 }),
  {
    weight: 2,
    arbitrary: fc
      .dictionary(fc.constantFrom(...V1_NAMES), fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })))
      .map((o) => JSON.stringify(o)),
  },
  { weight: 3, arbitrary: formText },
  {
    weight: 2,
    arbitrary: params.map((pairs) => multipart(pairs.map(([k, v]) => [k.replace(/["\r\n]/g, ""), v]))),
  },
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => `secret=${"z".repeat(n)}`),
);
const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  fc.string({ unit: printable, maxLength: 60 }),
  fc.base64String({ maxLength: 60 }).map((b) => `Basic ${b}`),
  fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 60 })).map(([u, p]) => basic(u, p)),
);
const method = fc.oneof(
  { weight: 6, arbitrary: fc.constant("POST") },
  { weight: 2, arbitrary: fc.constant("GET") },
  { weight: 2, arbitrary: fc.constantFrom("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD") },
);
const request = fc.record({
  method,
  path,
  query,
  contentType,
  body,
  authorization,
});

test("no request, however odd, gets a 5xx, a stack trace or an answer in the wrong format", async () => {
  await fc.assert(
    fc.asyncProperty(request, async (r) => {
      const headers: Record<string, string> = {};
      if (r.contentType !== undefined) headers["content-type"] = r.contentType;
      if (r.authorization !== undefined) headers.authorization = r.authorization;
      const withBody = r.method !== "GET" && r.method !== "HEAD" && r.body !== undefined;
      const res = await t.app.inject({
        method: r.method as InjectOptions["method"],
        url: `${r.path}${r.query}`,
        headers,
        ...(withBody ? { payload: r.body } : {}),
      });
      assertWellFormed(res, r.method, r.path);
    }),
    { numRuns: 500 },
  );
  await assertStillUp();
  // Nothing took the "unexpected error" path: every odd request was an expected one.
  assert.deepEqual(
    t.logs.filter((line) => line.includes('"level":50')),
    [],
  );
});
