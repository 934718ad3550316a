import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "../domain/errors.js";
import {
  checkMultipartText,
  isInvalidQuery,
  isUnreadableForm,
  lenientQuery,
  MAX_FIELDS,
  nestBrackets,
  parseForm,
  readPageForm,
} from "./body.js";

// parseForm returns a null-prototype object; copy it to compare with plain literals.
const form = (text: string) => ({ ...parseForm(text) });

const badPayload = (err: unknown) => err instanceof AppError && err.code === "bad_payload";

describe("parseForm", () => {
  test("decodes names and values; + is a space", () => {
    assert.deepEqual(form("secret=a+b%2Bc&ttl=3600"), { secret: "a b+c", ttl: "3600" });
    assert.deepEqual(form("na%20me=%E2%82%AC"), { "na me": "€" });
  });

  test("repeated names become arrays, in order", () => {
    assert.deepEqual(form("recipient=a&recipient=b&recipient=c"), { recipient: ["a", "b", "c"] });
    assert.deepEqual(form("recipient%5B%5D=a&recipient%5B%5D=b"), { "recipient[]": ["a", "b"] });
  });

  test("a name repeated up to MAX_FIELDS times keeps every value, in order", () => {
    const values = parseForm(Array.from({ length: MAX_FIELDS }, (_, i) => `a=${i}`).join("&")).a;
    assert.ok(Array.isArray(values));
    assert.equal(values.length, MAX_FIELDS);
    assert.equal(values[0], "0");
    assert.equal(values[MAX_FIELDS - 1], String(MAX_FIELDS - 1));
  });

  test("more than MAX_FIELDS pairs, empty ones included, are bad_payload before any decoding", () => {
    for (const text of [`${"a=1&".repeat(MAX_FIELDS)}a=1`, "&".repeat(MAX_FIELDS), "&".repeat(32000)]) {
      assert.throws(() => parseForm(text), badPayload, text.slice(0, 20));
    }
    // Counted before decoding: a bad escape further on does not matter.
    assert.throws(() => parseForm(`${"=&".repeat(MAX_FIELDS)}%zz`), badPayload);
    assert.equal(isInvalidQuery(lenientQuery("&".repeat(MAX_FIELDS))), true);
  });

  test("a name without = has an empty value; empty pairs are skipped", () => {
    assert.deepEqual(form("a&b=&&c=1"), { a: "", b: "", c: "1" });
    assert.deepEqual(form(""), {});
  });

  test("only the first = separates name from value", () => {
    assert.deepEqual(form("secret=a=b"), { secret: "a=b" });
  });

  test("names like __proto__ are plain keys", () => {
    const parsed = parseForm("__proto__=x&constructor=y");
    assert.equal(Object.getPrototypeOf(parsed), null);
    assert.deepEqual(Object.entries(parsed), [
      ["__proto__", "x"],
      ["constructor", "y"],
    ]);
  });

  test("invalid percent-encoding or UTF-8 is bad_payload, never altered text", () => {
    for (const text of ["secret=%zz", "secret=100%", "secret=%C3%28", "%zz=1", "a=%ED%A0%80"]) {
      assert.throws(() => parseForm(text), badPayload, text);
    }
  });
});

describe("lenientQuery and isInvalidQuery", () => {
  test("a valid query parses and is not marked", () => {
    const query = lenientQuery("ttl=3600&recipient=a&recipient=b");
    assert.deepEqual({ ...query }, { ttl: "3600", recipient: ["a", "b"] });
    assert.equal(isInvalidQuery(query), false);
  });

  test("an invalid query does not throw, carries no parameters and is marked", () => {
    const query = lenientQuery("secret=%C3%28&ttl=60");
    assert.deepEqual(Object.keys(query), []);
    assert.equal(isInvalidQuery(query), true);
  });

  test("nothing else is marked invalid", () => {
    for (const value of [{}, null, undefined, "secret=%zz", parseForm("a=1")]) {
      assert.equal(isInvalidQuery(value), false);
    }
  });
});

describe("readPageForm, isUnreadableForm and checkMultipartText", () => {
  const bytes = (...parts: (string | number[])[]) =>
    Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p))));

  test("a readable form reads like parseForm, raw UTF-8 included, and is not marked", () => {
    const parsed = readPageForm(bytes("a=1&b=%C3%A9&b=", [0xc3, 0xa9], "&&c"));
    assert.deepEqual({ ...parsed }, { a: "1", b: ["é", "é"], c: "" });
    assert.equal(isUnreadableForm(parsed), false);
  });

  test("a field that is not UTF-8 or badly escaped is left out, the rest kept, the form marked", () => {
    for (const bad of [
      bytes("x=a", [0xff]),
      bytes("x=%ED%A0%80"),
      bytes("x=%zz"),
      bytes([0xed, 0xa0, 0x80], "=1"),
    ]) {
      const parsed = readPageForm(Buffer.concat([Buffer.from("a=1&"), bad, Buffer.from("&b=2")]));
      assert.deepEqual({ ...parsed }, { a: "1", b: "2" });
      assert.equal(isUnreadableForm(parsed), true);
    }
  });

  test("multipart text with U+FFFD or a lone surrogate is bad_payload; other text passes", () => {
    for (const value of ["a\ufffdb", "a\ud800", ["ok", "\udc00"]]) {
      assert.throws(() => checkMultipartText({ secret: value }), badPayload);
    }
    assert.doesNotThrow(() => checkMultipartText({ secret: "é \u{1f600}", n: 1, list: ["a", "b"] }));
  });
});

describe("nestBrackets", () => {
  // Plain objects throughout, to compare with literals.
  const nested = (text: string) => JSON.parse(JSON.stringify(nestBrackets(parseForm(text))));

  test("names in brackets nest; plain names stay", () => {
    assert.deepEqual(nested("secret[secret]=a+b&secret[ttl]=60&passphrase=p"), {
      secret: { secret: "a b", ttl: "60" },
      passphrase: "p",
    });
    assert.deepEqual(nested("a[b][c]=1"), { a: { b: { c: "1" } } });
  });

  test("`[]` and repeated names make lists", () => {
    assert.deepEqual(nested("secret[recipient][]=x&secret[recipient][]=y"), {
      secret: { recipient: ["x", "y"] },
    });
    assert.deepEqual(nested("secret[recipient]=x&secret[recipient]=y"), {
      secret: { recipient: ["x", "y"] },
    });
    assert.deepEqual(nested("a[]=1"), { a: ["1"] });
  });

  test("a name that only looks nested stays as written; __proto__ is a plain key", () => {
    assert.deepEqual(nested("a[b=1&[x]=2&a]b[=3"), { "a[b": "1", "[x]": "2", "a]b[": "3" });
    const out = nestBrackets(parseForm("__proto__[polluted]=yes"));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(JSON.parse(JSON.stringify(Object.getOwnPropertyDescriptor(out, "__proto__")?.value)), {
      polluted: "yes",
    });
  });
});
