// What the fuzzer sends: whole HTTP/1.1 requests as raw bytes, from the targets of paths.ts and the
// bodies of bodies.ts, with odd headers (CR, LF, NUL, folding, duplicates, oversized) and every
// framing: by length, none, chunked, truncated, oversized, pipelined, bare LF, HTTP/1.0.
import fc from "fast-check";
import { type Body, bodyArb } from "./bodies.js";
import { pathArb, queryArb } from "./paths.js";
import { latin1 as b, type FuzzRequest, type Target, utf8 } from "./target.js";

const HEADER_SPICE = [
  "X-Nul: a\u0000b",
  "X-Cr: a\rb",
  "X-Fold: a\r\n b",
  `X-Long: ${"h".repeat(20_000)}`,
  "Expect: 100-continue",
  "Expect: nonsense",
  "Upgrade: websocket\r\nConnection: Upgrade",
  "Content-Length: 5\r\nContent-Length: 6",
  "Content-Length: -1",
  "Content-Length: abc",
  "Host: second.example",
  "Sec-Fetch-Site: cross-site",
  "Origin: http://evil.example",
  "X-Forwarded-For: 1.2.3.4, ::1",
  "X-Forwarded-Host: evil.example",
  "Accept-Language: fr;q=0.9, xx, ,;q=",
  `Accept-Language: ${"a,".repeat(3000)}`,
  "Cookie: ot_session=%zz; ot_csrf=\u00ff",
  "Cookie: ot_locale=xx; ot_theme=<script>",
  "Authorization: Basic %%%",
  `Authorization: Basic ${Buffer.from("a@b.c:").toString("base64")}`,
  "Authorization: Bearer x",
  "If-None-Match: *",
  "Range: bytes=0-1",
  "Accept-Encoding: gzip, br",
  "Content-Encoding: gzip",
  "Content-Type: application/json; charset=utf-16",
];

function headersArb(t: Target): fc.Arbitrary<{ host: string | null; lines: string[] }> {
  const accept = fc.constantFrom(
    null,
    "text/html",
    "application/json",
    "*/*",
    "text/html,application/xhtml+xml",
  );
  const cookie = fc.constantFrom(null, t.cookie, t.cookie, "ot_csrf=forged", `${t.cookie}; ${t.cookie}`);
  const auth = fc.constantFrom(
    null,
    null,
    null,
    `Basic ${Buffer.from(`${t.email}:wrong`).toString("base64")}`,
  );
  const host = fc.constantFrom(t.host, t.host, t.host, null, "evil.example", "a b", "[::1]:1", "");
  // Most requests are well-formed enough for the parser, so that the app's own code is reached.
  const spice = fc.oneof(
    { weight: 4, arbitrary: fc.constant<string[]>([]) },
    { weight: 1, arbitrary: fc.subarray(HEADER_SPICE, { minLength: 1, maxLength: 2 }) },
  );
  return fc.tuple(host, accept, cookie, auth, spice).map(([h, a, c, au, sp]) => ({
    host: h,
    lines: [
      ...(a === null ? [] : [`Accept: ${a}`]),
      ...(c === null ? [] : [`Cookie: ${c}`]),
      ...(au === null ? [] : [`Authorization: ${au}`]),
      ...sp,
    ],
  }));
}

type Framing = "length" | "none" | "chunked" | "truncated" | "overlong" | "pipelined" | "lf" | "http10";

const METHODS = [
  "GET",
  "POST",
  "HEAD",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "TRACE",
  "get",
  "FOO",
  "PROPFIND",
];

/** One request (or two, pipelined) as raw bytes. */
export function requestArb(t: Target): fc.Arbitrary<FuzzRequest> {
  const method = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom("GET", "POST", "POST", "HEAD") },
    { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
  );
  const framing = fc.oneof(
    { weight: 12, arbitrary: fc.constant<Framing>("length") },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Framing>(
        "none",
        "chunked",
        "truncated",
        "overlong",
        "pipelined",
        "lf",
        "http10",
      ),
    },
  );
  return fc
    .tuple(method, pathArb(t), queryArb(t), headersArb(t), fc.option(bodyArb(t), { freq: 4 }), framing)
    .map(([m, path, query, headers, body, fr]) => build(t, m, `${path}${query}`, headers, body, fr));
}

function build(
  t: Target,
  method: string,
  target: string,
  headers: { host: string | null; lines: string[] },
  body: Body | null,
  framing: Framing,
): FuzzRequest {
  const version = framing === "http10" ? "HTTP/1.0" : "HTTP/1.1";
  const eol = framing === "lf" ? "\n" : "\r\n";
  const head = (extra: string[], close = true) =>
    Buffer.concat([
      b(`${method} `),
      utf8(target),
      b(` ${version}${eol}`),
      b(
        [
          ...(headers.host === null ? [] : [`Host: ${headers.host}`]),
          ...headers.lines,
          ...(body?.type == null ? [] : [`Content-Type: ${body.type}`]),
          ...extra,
          ...(close ? ["Connection: close"] : []),
        ]
          .map((line) => `${line}${eol}`)
          .join(""),
      ),
      b(eol),
    ]);
  const payload = body?.bytes ?? Buffer.alloc(0);
  switch (framing) {
    case "none":
      return { bytes: head([]), methods: [method], halfClose: false };
    case "chunked":
      return {
        bytes: Buffer.concat([
          head(["Transfer-Encoding: chunked"]),
          ...(payload.length === 0 ? [] : [b(`${payload.length.toString(16)}\r\n`), payload, b("\r\n")]),
          b("0\r\n\r\n"),
        ]),
        methods: [method],
        halfClose: false,
      };
    case "truncated":
      return {
        bytes: Buffer.concat([head([`Content-Length: ${payload.length + 10}`]), payload]),
        methods: [method],
        halfClose: true,
      };
    case "overlong":
      return {
        bytes: Buffer.concat([head([`Content-Length: ${t.bodyLimit * 4}`]), payload]),
        methods: [method],
        halfClose: true,
      };
    case "pipelined": {
      const first = Buffer.concat([head([`Content-Length: ${payload.length}`], false), payload]);
      const second = Buffer.concat([
        b("GET /api/v1/status HTTP/1.1\r\n"),
        b(`Host: ${t.host}\r\nConnection: close\r\n\r\n`),
      ]);
      return { bytes: Buffer.concat([first, second]), methods: [method, "GET"], halfClose: false };
    }
    default:
      return {
        bytes: Buffer.concat([head([`Content-Length: ${payload.length}`]), payload]),
        methods: [method],
        halfClose: false,
      };
  }
}

/** A request's bytes as a JavaScript string literal, to paste into a reproduction. */
export function printable(bytes: Buffer, max = 2000): string {
  const text = bytes.subarray(0, max).toString("latin1");
  return JSON.stringify(text) + (bytes.length > max ? ` (+${bytes.length - max} bytes)` : "");
}
