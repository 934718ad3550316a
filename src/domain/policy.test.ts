import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../config.js";
import { AppError } from "./errors.js";
import { checkPassphrase, checkSecretSize, effectiveTtl, type TtlPolicy } from "./policy.js";

const policy: TtlPolicy = { defaultTtl: 604800, ttlMin: 60, ttlMaxAnonymous: 604800, ttlMax: 2592000 };

describe("effectiveTtl", () => {
  test("missing, empty or zero means the default", () => {
    const smallDefault = { ...policy, defaultTtl: 3600 };
    for (const raw of [undefined, "", "  ", "0", "00", "-0", "0.0"]) {
      assert.equal(effectiveTtl(raw, false, smallDefault), 3600, `ttl=${JSON.stringify(raw)}`);
    }
  });

  test("below the minimum, negative or non-numeric clamps to the minimum", () => {
    assert.equal(effectiveTtl("10", false, policy), 60);
    assert.equal(effectiveTtl("-5", false, policy), 60);
    assert.equal(effectiveTtl("abc", false, policy), 60);
  });

  test("reads leading digits like Ruby's to_i", () => {
    assert.equal(effectiveTtl("3600abc", false, policy), 3600);
    assert.equal(effectiveTtl("3600.9", false, policy), 3600);
    assert.equal(effectiveTtl(" 3600 ", false, policy), 3600);
    assert.equal(effectiveTtl("+3600", false, policy), 3600);
  });

  test("huge values clamp to the ceiling", () => {
    assert.equal(effectiveTtl("99999999999999999999999", false, policy), 604800);
    assert.equal(effectiveTtl("9".repeat(400), true, policy), 2592000);
  });

  test("anonymous and authenticated callers have different ceilings", () => {
    assert.equal(effectiveTtl("2592000", false, policy), 604800);
    assert.equal(effectiveTtl("2592000", true, policy), 2592000);
    assert.equal(effectiveTtl("9999999", true, policy), 2592000);
    assert.equal(effectiveTtl("86400", false, policy), 86400);
  });

  test("a default above the caller's ceiling is clamped too", () => {
    const longDefault = { ...policy, defaultTtl: 2592000 };
    assert.equal(effectiveTtl(undefined, false, longDefault), 604800);
    assert.equal(effectiveTtl("0", true, longDefault), 2592000);
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
  const config = { ...loadConfig({}), passphraseMinLength: 4, passphraseMaxLength: 8 };

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
