import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { generatePassword, type PasswordRules, randomBelow } from "./password.js";

const defaults: PasswordRules = {
  length: 12,
  uppercase: true,
  lowercase: true,
  numbers: true,
  symbols: true,
  excludeAmbiguous: true,
};

const UPPER = /[A-Z]/;
const LOWER = /[a-z]/;
const DIGIT = /[0-9]/;
const SYMBOL = /[^A-Za-z0-9]/;
const AMBIGUOUS = /[ilo1IO0]/;
const ALPHABET =
  "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789" + "!@#$%^&*()_-+=[]{}|:;\"'<>,.?/~`";

function draws(n: number, options: PasswordRules, length?: number): string[] {
  return Array.from({ length: n }, () => generatePassword(options, length));
}

describe("generatePassword", () => {
  test("is 12 characters by default", () => {
    for (const p of draws(100, defaults)) assert.equal(p.length, 12);
  });

  test("honours a custom length", () => {
    assert.equal(generatePassword(defaults, 4).length, 4);
    assert.equal(generatePassword(defaults, 64).length, 64);
    assert.equal(generatePassword({ ...defaults, length: 20 }).length, 20);
  });

  test("has at least one character of each enabled class, every time", () => {
    for (const p of draws(2000, defaults)) {
      for (const cls of [UPPER, LOWER, DIGIT, SYMBOL]) assert.match(p, cls);
    }
  });

  test("never uses an ambiguous character", () => {
    for (const p of draws(2000, defaults, 32)) assert.doesNotMatch(p, AMBIGUOUS);
  });

  test("may use ambiguous characters when told to", () => {
    const all = draws(500, { ...defaults, excludeAmbiguous: false }, 32).join("");
    for (const c of "ilo1IO0") assert.ok(all.includes(c), `expected ${c} to appear`);
  });

  test("classes turned off never appear", () => {
    for (const p of draws(500, { ...defaults, symbols: false, numbers: false })) {
      assert.match(p, /^[A-Za-z]{12}$/);
      assert.match(p, UPPER);
      assert.match(p, LOWER);
    }
    for (const p of draws(500, { ...defaults, uppercase: false, lowercase: false })) {
      assert.doesNotMatch(p, /[A-Za-z]/);
      assert.match(p, DIGIT);
      assert.match(p, SYMBOL);
    }
    for (const p of draws(200, { ...defaults, uppercase: false, lowercase: false, symbols: false })) {
      assert.match(p, /^[2-9]{12}$/);
    }
  });

  test("every allowed character turns up over many draws", () => {
    const seen = new Set(draws(20000, defaults).join(""));
    for (const c of ALPHABET) assert.ok(seen.has(c), `expected ${c} to appear`);
    assert.equal(seen.size, ALPHABET.length);
  });
});

describe("randomBelow", () => {
  test("stays in range and reaches every value", () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = randomBelow(7);
      assert.ok(Number.isInteger(v) && v >= 0 && v < 7);
      seen.add(v);
    }
    assert.equal(seen.size, 7);
  });
});
