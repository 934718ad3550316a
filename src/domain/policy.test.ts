import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "./errors.js";
import {
  checkPassphrase,
  checkSecretSize,
  effectiveTtl,
  effectiveViews,
  type PassphrasePolicy,
  type TtlPolicy,
} from "./policy.js";

const policy: TtlPolicy = { defaultTtl: 604800, ttlMin: 60, ttlMaxAnonymous: 604800, ttlMax: 2592000 };

describe("effectiveTtl", () => {
  test("not given means the default", () => {
    assert.equal(effectiveTtl(undefined, false, { ...policy, defaultTtl: 3600 }), 3600);
  });

  test("below the minimum, zero or negative clamps to the minimum", () => {
    for (const ttl of [10, 0, -5, -Infinity])
      assert.equal(effectiveTtl(ttl, false, policy), 60, `ttl=${ttl}`);
  });

  test("counts whole seconds", () => {
    assert.equal(effectiveTtl(3600.9, false, policy), 3600);
  });

  test("huge values clamp to the ceiling", () => {
    assert.equal(effectiveTtl(1e23, false, policy), 604800);
    assert.equal(effectiveTtl(Infinity, true, policy), 2592000);
  });

  test("anonymous and authenticated callers have different ceilings", () => {
    assert.equal(effectiveTtl(2592000, false, policy), 604800);
    assert.equal(effectiveTtl(2592000, true, policy), 2592000);
    assert.equal(effectiveTtl(9999999, true, policy), 2592000);
    assert.equal(effectiveTtl(86400, false, policy), 86400);
  });

  test("a default above the caller's ceiling is clamped too", () => {
    const longDefault = { ...policy, defaultTtl: 2592000 };
    assert.equal(effectiveTtl(undefined, false, longDefault), 604800);
    assert.equal(effectiveTtl(undefined, true, longDefault), 2592000);
  });

  test("NaN is refused: a surface must read its wire format into a number or undefined", () => {
    assert.throws(() => effectiveTtl(Number.NaN, false, policy), TypeError);
  });
});

describe("checkSecretSize", () => {
  test("counts UTF-8 bytes, not characters", () => {
    assert.doesNotThrow(() => checkSecretSize("a".repeat(10000), 10000));
    assert.throws(
      () => checkSecretSize("a".repeat(10001), 10000),
      isError("secret_too_large", { max: 10000 }),
    );
    // 3334 × "€" is 3334 characters but 10002 bytes.
    assert.throws(() => checkSecretSize("€".repeat(3334), 10000), isError("secret_too_large"));
    assert.doesNotThrow(() => checkSecretSize("€".repeat(3333), 10000));
  });
});

describe("checkPassphrase", () => {
  const config: PassphrasePolicy = {
    passphraseRequired: false,
    passphraseMinLength: 4,
    passphraseMaxLength: 8,
  };

  test("accepts lengths within the bounds, counted in characters", () => {
    assert.doesNotThrow(() => checkPassphrase("abcd", config));
    assert.doesNotThrow(() => checkPassphrase("abcdefgh", config));
    // 8 characters of 4 bytes each (and two UTF-16 units each).
    assert.doesNotThrow(() => checkPassphrase("😀".repeat(8), config));
  });

  test("rejects too short and too long", () => {
    assert.throws(() => checkPassphrase("abc", config), isError("passphrase_too_short", { min: 4 }));
    assert.throws(() => checkPassphrase("abcdefghi", config), isError("passphrase_too_long", { max: 8 }));
    assert.throws(() => checkPassphrase("😀".repeat(9), config), isError("passphrase_too_long"));
  });

  test("a missing passphrase is fine unless one is required", () => {
    assert.doesNotThrow(() => checkPassphrase(undefined, config));
    assert.throws(
      () => checkPassphrase(undefined, { ...config, passphraseRequired: true }),
      isError("passphrase_required"),
    );
  });
});

function isError(code: string, details?: Record<string, unknown>) {
  return (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.code, code);
    if (details !== undefined) assert.deepEqual(err.details, details);
    return true;
  };
}

describe("effectiveViews", () => {
  const views = { views: { max: 10, maxAnonymous: 3 } };
  const refused = (max: number) => ({
    name: "AppError",
    code: "invalid_param",
    details: { field: "views", max },
  });

  test("not given means one view", () => {
    assert.equal(effectiveViews(undefined, false, views), 1);
    assert.equal(effectiveViews(undefined, true, views), 1);
  });

  test("1 up to the caller's ceiling is kept as asked", () => {
    assert.equal(effectiveViews(3, false, views), 3);
    assert.equal(effectiveViews(10, true, views), 10);
  });

  test("anything else is refused, never clamped, naming the caller's ceiling", () => {
    for (const n of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 4]) {
      assert.throws(() => effectiveViews(n, false, views), refused(3), String(n));
    }
    assert.throws(() => effectiveViews(11, true, views), refused(10));
  });
});
