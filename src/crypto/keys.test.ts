import assert from "node:assert/strict";
import { hkdfSync, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { dataKey, deriveServerKeys, hkdfExpand, hkdfExtract, hmac, hmacHex, safeEqual } from "./keys.js";

describe("deriveServerKeys", () => {
  test("gives five distinct 32-byte sub-keys, the same for the same root", () => {
    const root = randomBytes(32);
    const keys = deriveServerKeys(root);
    const all = [keys.lookup, keys.encryption, keys.token, keys.subject, keys.password];
    for (const k of all) assert.equal(k.length, 32);
    assert.equal(new Set(all.map((k) => k.toString("hex"))).size, 5);
    assert.deepEqual(deriveServerKeys(root), keys);
    assert.notDeepEqual(deriveServerKeys(randomBytes(32)).lookup, keys.lookup);
  });
});

describe("hmacHex and hmac", () => {
  const key = randomBytes(32);

  test("separate their parts, so moving a boundary changes the result", () => {
    assert.match(hmacHex(key, "secret", "abc"), /^[0-9a-f]{64}$/);
    assert.notEqual(hmacHex(key, "a", "bc"), hmacHex(key, "ab", "c"));
    assert.notEqual(hmacHex(key, "abc"), hmacHex(key, "abc", ""));
  });

  test("agree with each other and depend on the key", () => {
    assert.equal(hmac(key, "x", "y").toString("hex"), hmacHex(key, "x", "y"));
    assert.notEqual(hmacHex(randomBytes(32), "x"), hmacHex(key, "x"));
  });
});

describe("dataKey", () => {
  test("is a deterministic 32-byte key that depends on every input", () => {
    const base = dataKey(["ab", "c"], "salt", "info");
    assert.equal(base.length, 32);
    assert.deepEqual(dataKey(["ab", "c"], "salt", "info"), base);
    assert.notDeepEqual(dataKey(["a", "bc"], "salt", "info"), base);
    assert.notDeepEqual(dataKey(["ab", "c", ""], "salt", "info"), base);
    assert.notDeepEqual(dataKey(["ab", "c"], "salt2", "info"), base);
    assert.notDeepEqual(dataKey(["ab", "c"], "salt", "info2"), base);
    assert.deepEqual(dataKey([Buffer.from("ab"), "c"], "salt", "info"), base);
  });

  test("is HKDF-SHA256 over the length-prefixed inputs: stored rows keep opening", () => {
    const parts = [randomBytes(32), "a-secret-key", randomBytes(32)];
    const material = Buffer.concat(
      parts.map((p) => {
        const b = Buffer.from(p);
        const len = Buffer.alloc(4);
        len.writeUInt32BE(b.length);
        return Buffer.concat([len, b]);
      }),
    );
    for (const salt of ["a".repeat(64), ""]) {
      const expected = Buffer.from(hkdfSync("sha256", material, salt, "content", 32));
      assert.deepEqual(dataKey(parts, salt, "content"), expected);
      assert.deepEqual(hkdfExpand(hkdfExtract(parts, salt), "content"), expected);
    }
  });
});

describe("safeEqual", () => {
  test("compares contents and answers false on different lengths", () => {
    assert.equal(safeEqual(Buffer.from("abc"), Buffer.from("abc")), true);
    assert.equal(safeEqual(Buffer.from("abc"), Buffer.from("abd")), false);
    assert.equal(safeEqual(Buffer.from("abc"), Buffer.from("abcd")), false);
  });
});
