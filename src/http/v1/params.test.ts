import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { FastifyRequest } from "fastify";
import { AppError } from "../../domain/errors.js";
import { effectiveTtl, type TtlPolicy } from "../../domain/policy.js";
import { lenientQuery } from "../body.js";
import { param, recipientsParam, ttlParam, v1Params } from "./params.js";

const request = (query: unknown, body: unknown) =>
  ({ query, body, isMultipart: () => false }) as unknown as FastifyRequest;

describe("v1Params", () => {
  test("merges query and body; the body wins", () => {
    const params = v1Params(request({ ttl: "60", secret: "q" }, { secret: "b" }));
    assert.deepEqual(params, { ttl: "60", secret: "b" });
  });

  test("a missing, raw or non-object body leaves the query", () => {
    for (const body of [undefined, null, "secret=x", Buffer.from("secret=x")]) {
      assert.deepEqual(v1Params(request({ ttl: "60" }, body)), { ttl: "60" });
    }
    assert.deepEqual(v1Params(request(undefined, { ttl: "60" })), { ttl: "60" });
  });

  test("an invalid query string is bad_payload", () => {
    assert.throws(
      () => v1Params(request(lenientQuery("secret=%zz"), {})),
      (err: unknown) => err instanceof AppError && err.code === "bad_payload",
    );
  });
});

describe("param", () => {
  test("empty or missing means not given", () => {
    const params = { ttl: "", passphrase: [], secret: [""], share_domain: null };
    for (const name of ["ttl", "passphrase", "secret", "share_domain", "missing"]) {
      assert.equal(param(params, name), undefined, name);
    }
  });

  test("strings pass through, whitespace included", () => {
    assert.equal(param({ secret: " a b " }, "secret"), " a b ");
  });

  test("JSON numbers and booleans become strings; other values are ignored", () => {
    assert.equal(param({ ttl: 3600 }, "ttl"), "3600");
    assert.equal(param({ ttl: 0 }, "ttl"), "0");
    // Large whole numbers keep all their digits, so a huge JSON TTL clamps to the ceiling, not to 1.
    assert.equal(param({ ttl: 1e21 }, "ttl"), "1000000000000000000000");
    assert.equal(param({ ttl: 1.5 }, "ttl"), "1.5");
    assert.equal(param({ flag: true }, "flag"), "true");
    assert.equal(param({ flag: false }, "flag"), "false");
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, { a: 1 }, [[1]]]) {
      assert.equal(param({ v: value }, "v"), undefined, String(value));
    }
  });

  test("an array gives its first item", () => {
    assert.equal(param({ ttl: ["60", "3600"] }, "ttl"), "60");
    assert.equal(param({ ttl: [300] }, "ttl"), "300");
  });
});

describe("ttlParam", () => {
  test("missing, empty or zero is not given", () => {
    for (const ttl of [undefined, "", "  ", "0", "00", "-0", "0.0", 0, ["0"]]) {
      assert.equal(ttlParam({ ttl }), undefined, `ttl=${JSON.stringify(ttl)}`);
    }
  });

  test("reads leading digits like Ruby's to_i; no digits is 0", () => {
    assert.equal(ttlParam({ ttl: "3600abc" }), 3600);
    assert.equal(ttlParam({ ttl: "3600.9" }), 3600);
    assert.equal(ttlParam({ ttl: " 3600 " }), 3600);
    assert.equal(ttlParam({ ttl: "+3600" }), 3600);
    assert.equal(ttlParam({ ttl: "-5" }), -5);
    assert.equal(ttlParam({ ttl: "abc" }), 0);
    assert.equal(ttlParam({ ttl: 1.5 }), 1);
    assert.equal(ttlParam({ ttl: 1e21 }), 1e21);
    assert.equal(ttlParam({ ttl: "9".repeat(400) }), Number.POSITIVE_INFINITY);
  });

  // v1's whole TTL rule (spec: docs/api-v1.md, `ttl`): this reading, then the domain's bounds.
  const policy: TtlPolicy = { defaultTtl: 604800, ttlMin: 60, ttlMaxAnonymous: 604800, ttlMax: 2592000 };
  const v1Ttl = (ttl: unknown, authenticated: boolean, p = policy) =>
    effectiveTtl(ttlParam({ ttl }), authenticated, p);

  test("v1: missing, empty or zero means the default", () => {
    for (const raw of [undefined, "", "  ", "0", "00", "-0", "0.0"]) {
      assert.equal(v1Ttl(raw, false, { ...policy, defaultTtl: 3600 }), 3600, `ttl=${JSON.stringify(raw)}`);
    }
  });

  test("v1: below the minimum, negative or non-numeric clamps to the minimum", () => {
    assert.equal(v1Ttl("10", false), 60);
    assert.equal(v1Ttl("-5", false), 60);
    assert.equal(v1Ttl("abc", false), 60);
  });

  test("v1: huge values clamp to the ceiling", () => {
    assert.equal(v1Ttl("99999999999999999999999", false), 604800);
    assert.equal(v1Ttl("9".repeat(400), true), 2592000);
    assert.equal(v1Ttl(1e21, false), 604800);
  });

  test("v1: anonymous and authenticated callers have different ceilings", () => {
    assert.equal(v1Ttl("2592000", false), 604800);
    assert.equal(v1Ttl("2592000", true), 2592000);
    assert.equal(v1Ttl("86400", false), 86400);
    assert.equal(v1Ttl("0", true, { ...policy, defaultTtl: 2592000 }), 2592000);
  });
});

describe("recipientsParam", () => {
  test("reads recipient, repeated or not", () => {
    assert.deepEqual(recipientsParam({ recipient: "a@x.io" }), ["a@x.io"]);
    assert.deepEqual(recipientsParam({ recipient: ["a@x.io", "b@x.io"] }), ["a@x.io", "b@x.io"]);
  });

  test("reads recipient[] too, after recipient", () => {
    assert.deepEqual(recipientsParam({ "recipient[]": "a@x.io" }), ["a@x.io"]);
    assert.deepEqual(recipientsParam({ recipient: "a@x.io", "recipient[]": ["b@x.io", "c@x.io"] }), [
      "a@x.io",
      "b@x.io",
      "c@x.io",
    ]);
  });

  test("drops empty and non-text values", () => {
    assert.deepEqual(recipientsParam({}), []);
    assert.deepEqual(recipientsParam({ recipient: "" }), []);
    assert.deepEqual(recipientsParam({ recipient: ["", "  ", "a@x.io"], "recipient[]": [""] }), ["a@x.io"]);
    assert.deepEqual(recipientsParam({ recipient: [null, { a: 1 }, "a@x.io"] }), ["a@x.io"]);
  });
});
