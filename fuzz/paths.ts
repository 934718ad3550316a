// Request targets: every route pattern with real, mutated and malformed keys, odd suffixes, and
// query strings with duplicates, bad escapes and lone surrogates (and the run's mark, which no log
// line may carry).
import fc from "fast-check";
import type { Target } from "./target.js";

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

export function pathArb(t: Target): fc.Arbitrary<string> {
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

export function queryArb(t: Target): fc.Arbitrary<string> {
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
