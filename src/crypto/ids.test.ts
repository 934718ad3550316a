import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isWellFormedKey, KEY_LENGTH, newKey, newToken } from "./ids.js";

function fromBase36(text: string): bigint {
  return [...text].reduce((n, c) => n * 36n + BigInt(Number.parseInt(c, 36)), 0n);
}

describe("newKey", () => {
  test("is 31 characters of [0-9a-z], distinct over many draws", () => {
    assert.equal(KEY_LENGTH, 31);
    const keys = Array.from({ length: 10000 }, newKey);
    for (const key of keys) assert.match(key, /^[0-9a-z]{31}$/);
    assert.equal(new Set(keys).size, keys.length);
  });

  test("encodes a value below 2^160 that reads back to the same key", () => {
    for (let i = 0; i < 1000; i++) {
      const key = newKey();
      const n = fromBase36(key);
      assert.ok(n < 2n ** 160n);
      assert.equal(n.toString(36).padStart(31, "0"), key);
    }
  });

  test("uses the whole range: leading characters vary", () => {
    const firsts = new Set(Array.from({ length: 2000 }, () => newKey()[0]));
    // 2^160 is "tw…" in base 36, so the first digit spans 0–t; it must not be constant.
    assert.ok(firsts.size > 5, `first characters seen: ${[...firsts].join("")}`);
  });
});

describe("newToken", () => {
  test("is 50 characters of [0-9a-z], distinct, below 2^256", () => {
    const tokens = Array.from({ length: 1000 }, newToken);
    for (const token of tokens) {
      assert.match(token, /^[0-9a-z]{50}$/);
      assert.ok(fromBase36(token) < 2n ** 256n);
    }
    assert.equal(new Set(tokens).size, tokens.length);
  });
});

describe("isWellFormedKey", () => {
  test("accepts 1 to 128 ASCII letters and digits", () => {
    for (const key of ["a", "Z", "0", newKey(), "AbC123", "x".repeat(128)]) {
      assert.equal(isWellFormedKey(key), true, key);
    }
  });

  test("rejects anything else", () => {
    for (const key of [
      "",
      "x".repeat(129),
      "abc-def",
      "abc/def",
      "abc def",
      "abc\n",
      "é",
      "ａｂｃ",
      "abc%20",
    ]) {
      assert.equal(isWellFormedKey(key), false, JSON.stringify(key));
    }
  });
});
