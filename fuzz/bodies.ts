// Request bodies of every content type, well formed or not: forms, JSON objects, arrays and
// scalars, multipart with odd charsets and limits, random bytes under any type.
import fc from "fast-check";
import { latin1 as b, type Target, utf8 } from "./target.js";

export interface Body {
  type: string | null;
  bytes: Buffer;
}

const BOUNDARY = "fuzzb0undary";

function formFields(t: Target): fc.Arbitrary<[string, string][]> {
  const name = fc.constantFrom(
    "secret",
    "passphrase",
    "ttl",
    "recipient",
    "mode",
    "email",
    "password",
    "current",
    "next",
    "locale",
    "theme",
    "_csrf",
  );
  const value = fc.oneof(
    fc.constantFrom(
      "",
      "hello",
      "3600",
      "generate",
      "text",
      t.csrf,
      t.email,
      "a long enough password",
      "fr",
      "dark",
      "/dashboard",
    ),
    fc.string({ maxLength: 30 }),
    fc.string({ unit: "grapheme", maxLength: 10 }),
    fc.constantFrom("a\ud800b", "\udc00", "\ufffd", "\u0000", "\r\n"),
    // Rare, or most of the run's time would go into writing them.
    fc.oneof(
      { weight: 20, arbitrary: fc.constant("x".repeat(300)) },
      { weight: 1, arbitrary: fc.constant("x".repeat(70_000)) },
    ),
  );
  return fc.array(fc.tuple(name, value), { maxLength: 6 }).map((fields) =>
    // Most forms carry the browser's token, so that the actions behind CSRF are reached too.
    fields.length % 3 === 0 ? fields : [["_csrf", t.csrf], ...fields],
  );
}

/** encodeURIComponent throws on a lone surrogate; write its UTF-8-ish escape by hand then. */
function formEscape(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return "%ED%A0%80";
  }
}

export function bodyArb(t: Target): fc.Arbitrary<Body> {
  const fields = formFields(t);
  const form = fields.map((f) => ({
    type: "application/x-www-form-urlencoded",
    bytes: b(f.map(([n, v]) => `${formEscape(n)}=${formEscape(v)}`).join("&")),
  }));
  const json = fc
    .tuple(fields, fc.boolean())
    .map(([f, escapeAll]) => {
      const text = JSON.stringify(Object.fromEntries(f));
      return escapeAll
        ? text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
        : text;
    })
    .map((text) => ({ type: "application/json", bytes: utf8(text) }));
  const multipart = fc
    .tuple(
      fields,
      fc.constantFrom("", "; charset=utf-8", "; charset=utf-16le", "; charset=latin1", "; charset=bogus"),
    )
    .map(([f, charset]) => ({
      type: `multipart/form-data; boundary=${BOUNDARY}`,
      bytes: Buffer.concat([
        ...f.map(([n, v]) =>
          Buffer.concat([
            b(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${n}"\r\n`),
            b(charset === "" ? "\r\n" : `Content-Type: text/plain${charset}\r\n\r\n`),
            utf8(v),
            b("\r\n"),
          ]),
        ),
        b(`--${BOUNDARY}--\r\n`),
      ]),
    }));
  const odd = fc.constantFrom<Body>(
    { type: "application/json", bytes: b("[1,2,3]") },
    { type: "application/json", bytes: b('"secret"') },
    { type: "application/json", bytes: b("null") },
    { type: "application/json", bytes: b('{"secret":"x"') },
    { type: "application/json", bytes: b('{"secret":{"nested":[1,{"a":null}]},"ttl":1e400}') },
    { type: "application/json", bytes: b('{"secret":"a\\ud800b"}') },
    { type: "application/json", bytes: b('{"__proto__":{"x":1},"constructor":"y","secret":"p"}') },
    { type: "application/json", bytes: b("") },
    { type: "application/json; charset=latin1", bytes: b('{"secret":"\xe9"}') },
    { type: "application/x-www-form-urlencoded", bytes: b("secret=a\xffb&_csrf=x") },
    { type: "application/x-www-form-urlencoded", bytes: b("secret=%ED%A0%80") },
    { type: "application/x-www-form-urlencoded", bytes: b("&".repeat(32_000)) },
    { type: "application/x-www-form-urlencoded", bytes: b("a=&".repeat(16_000)) },
    { type: "multipart/form-data", bytes: b("--x\r\n\r\n") },
    {
      type: `multipart/form-data; boundary=${BOUNDARY}`,
      bytes: b(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n\r\nfile\r\n--${BOUNDARY}--\r\n`,
      ),
    },
    {
      type: `multipart/form-data; boundary=${BOUNDARY}`,
      bytes: b(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="secret"\r\n\r\nno end`),
    },
    {
      type: `multipart/form-data; boundary=${BOUNDARY}`,
      bytes: b(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="secret"\r\n\r\n${"y".repeat(80_000)}\r\n--${BOUNDARY}--\r\n`,
      ),
    },
    { type: "text/plain", bytes: b("secret=plain") },
    { type: "application/octet-stream", bytes: Buffer.from([0, 1, 2, 0xff, 0xfe]) },
    { type: "text/html; charset=utf-8", bytes: b("<x>") },
    { type: ";;;", bytes: b("secret=x") },
    { type: "application/json\u0000", bytes: b("{}") },
  );
  const random = fc
    .uint8Array({ maxLength: 200 })
    .map((a) => ({ type: null as string | null, bytes: Buffer.from(a) }));
  const typed = fc
    .tuple(
      random,
      fc.constantFrom(
        null,
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "*/*",
        "",
      ),
    )
    .map(([r, type]) => ({ type, bytes: r.bytes }));
  return fc.oneof(
    { weight: 3, arbitrary: form },
    { weight: 2, arbitrary: json },
    { weight: 2, arbitrary: multipart },
    { weight: 2, arbitrary: odd },
    { weight: 1, arbitrary: typed },
  );
}
