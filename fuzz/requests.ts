// What the fuzzer sends: fast-check arbitraries for whole HTTP/1.1 requests as raw bytes. Every route
// pattern with real, mutated and malformed keys; query strings with duplicates, bad escapes and lone
// surrogates; every body encoding, well formed or not; odd headers, CR/LF/NUL where they do not
// belong, truncated, oversized, bodyless and pipelined requests.
import fc from "fast-check";

/** What the server gave us to aim at: live keys, a browser's cookies and form token. */
export interface Target {
  host: string;
  secretKeys: string[];
  metadataKeys: string[];
  /** Cookie header of a signed-in browser (session and CSRF cookies). */
  cookie: string;
  csrf: string;
  email: string;
  /** Put in query strings; no log line may ever contain it. */
  mark: string;
  bodyLimit: number;
}

export interface FuzzRequest {
  bytes: Buffer;
  /** The methods of the requests in `bytes`, in order (more than one when pipelined). */
  methods: string[];
  /** Our side ends after writing: the body stops short of its declared length. */
  halfClose: boolean;
}

const b = (s: string) => Buffer.from(s, "latin1");
const utf8 = (s: string) => Buffer.from(s, "utf8");

const WEB_TEMPLATES = [
  "/",
  "/create",
  "/prefs",
  "/signin",
  "/signup",
  "/signout",
  "/forgot",
  "/verify/{token}",
  "/reset/{token}",
  "/secret/{skey}",
  "/receipt/{mkey}",
  "/receipt/{mkey}/burn",
  "/private/{mkey}",
  "/private/{mkey}/burn",
  "/account",
  "/account/token",
  "/account/password",
  "/account/language",
  "/account/delete",
  "/dashboard",
  "/assets/{name}",
  "/robots.txt",
  "/healthz",
  "/readyz",
  "/metrics",
];
const V1_TEMPLATES = [
  "/api/v1/status",
  "/api/v1/authcheck",
  "/api/v1/share",
  "/api/v1/create",
  "/api/v1/generate",
  "/api/v1/secret/{skey}",
  ...["private", "metadata", "receipt"].flatMap((p) => [
    `/api/v1/${p}/recent`,
    `/api/v1/${p}/{mkey}`,
    `/api/v1/${p}/{mkey}/burn`,
  ]),
];
const TEMPLATES = [...WEB_TEMPLATES, ...V1_TEMPLATES];

/** Escapes and raw bytes that decode to what a key must never hold. */
const NASTY = [
  "%0D",
  "%0A",
  "%0D%0A",
  "%00",
  "%7F",
  "%E2%82%AC",
  "%C4%80",
  "%ED%A0%80",
  "%F0%9F%98%80",
  "%zz",
  "%",
  "%C0%AF",
  "%2F",
  "%2e%2e",
  "%FF",
  "\u00e9",
  "\u00ff",
  "%3F",
  "%23",
  "%20",
  "+",
];

function keyArb(real: string[]): fc.Arbitrary<string> {
  const base = fc.constantFrom(...real);
  return fc.oneof(
    { weight: 4, arbitrary: base },
    {
      weight: 2,
      arbitrary: fc.tuple(base, fc.nat(40), fc.constantFrom(...NASTY)).map(([k, i, n]) => insert(k, i, n)),
    },
    { weight: 1, arbitrary: base.map((k) => k.slice(0, k.length - 1)) },
    { weight: 1, arbitrary: base.map((k) => `${k}${k}`) },
    { weight: 1, arbitrary: base.map((k) => k.toUpperCase()) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-z]{31}$/) },
    { weight: 1, arbitrary: fc.constantFrom("", "recent", "..", ".", "a".repeat(200), "a".repeat(9000)) },
    {
      weight: 2,
      arbitrary: fc
        .array(fc.constantFrom(...NASTY, "a", "0"), { minLength: 1, maxLength: 6 })
        .map((p) => p.join("")),
    },
  );
}

const insert = (s: string, i: number, part: string) =>
  `${s.slice(0, i % (s.length + 1))}${part}${s.slice(i % (s.length + 1))}`;

function pathArb(t: Target): fc.Arbitrary<string> {
  const skey = keyArb(t.secretKeys);
  const mkey = keyArb(t.metadataKeys);
  const token = fc.oneof(keyArb(t.secretKeys), fc.stringMatching(/^[0-9a-z]{50}$/));
  const name = fc.constantFrom("app.js", "app.css", "nope.js", "..%2Fsecret.key", "%zz", "a".repeat(300));
  const fromTemplate = fc
    .tuple(fc.constantFrom(...TEMPLATES), skey, mkey, token, name)
    .map(([tpl, s, m, tk, n]) =>
      tpl.replace("{skey}", s).replace("{mkey}", m).replace("{token}", tk).replace("{name}", n),
    );
  const decorated = fc
    .tuple(
      fromTemplate,
      fc.constantFrom("", "", "", "/", "//", "/x", ";a=b", "%2F", "/..", "#frag", "\u00e9"),
    )
    .map(([p, suffix]) => `${p}${suffix}`);
  return fc.oneof(
    { weight: 8, arbitrary: decorated },
    {
      weight: 1,
      arbitrary: fc.constantFrom("/%zz", "/%", "*", "//", "/..", "/api/v1/", "/api/v1", "/api/v2/status"),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "http://evil.example/",
        `http://${t.host}/api/v1/status`,
        "/\u0000",
        "/a\rb",
        "/a\nb",
        "/a b",
      ),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary-ascii", maxLength: 40 }).map((s) => `/${s}`) },
  );
}

function queryArb(t: Target): fc.Arbitrary<string> {
  const name = fc.constantFrom(
    "secret",
    "passphrase",
    "ttl",
    "recipient",
    "recipient[]",
    "locale",
    "next",
    "notice",
    "share_domain",
    "_csrf",
    "x",
  );
  const value = fc.oneof(
    fc.constantFrom(
      "",
      "1",
      "3600",
      "-1",
      "1e21",
      "en",
      "fr",
      "xx",
      "/dashboard",
      "//evil.example",
      "welcome",
      t.mark,
    ),
    fc.array(fc.constantFrom(...NASTY, "a", "b"), { maxLength: 5 }).map((p) => p.join("")),
    fc.string({ maxLength: 20 }).map(encodeURIComponent),
  );
  const pair = fc.tuple(name, value).map(([n, v]) => `${n}=${v}`);
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant("") },
    {
      weight: 5,
      arbitrary: fc
        .array(pair, { minLength: 1, maxLength: 6 })
        .map((pairs) => `?mark=${t.mark}&${pairs.join("&")}`),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        `?mark=${t.mark}&a&a&a&a`,
        `?mark=${t.mark}%zz`,
        `?${"a=1&".repeat(2000)}mark=${t.mark}`,
        "?",
        "??",
        "?&&&",
      ),
    },
  );
}

// ----- bodies -------------------------------------------------------------------------------------

interface Body {
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

function bodyArb(t: Target): fc.Arbitrary<Body> {
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

// ----- headers and framing ------------------------------------------------------------------------

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
