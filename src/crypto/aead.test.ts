import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { open, seal } from "./aead.js";

const key = randomBytes(32);
const plaintext = Buffer.from("the launch code is 0000");

describe("seal and open", () => {
  test("round-trip with the same key and AAD", () => {
    const sealed = seal(key, plaintext, "row-1");
    assert.deepEqual(open(key, sealed, "row-1"), plaintext);
    assert.equal(sealed.includes(plaintext), false);
  });

  test("a random IV makes every sealing different", () => {
    assert.notDeepEqual(seal(key, plaintext, "row-1"), seal(key, plaintext, "row-1"));
  });

  test("the wrong key or AAD opens nothing", () => {
    const sealed = seal(key, plaintext, "row-1");
    assert.equal(open(randomBytes(32), sealed, "row-1"), null);
    assert.equal(open(key, sealed, "row-2"), null);
  });

  test("any changed byte opens nothing", () => {
    const sealed = seal(key, plaintext, "row-1");
    for (let i = 0; i < sealed.length; i++) {
      const tampered = Buffer.from(sealed);
      tampered[i] = (tampered[i] as number) ^ 0x01;
      assert.equal(open(key, tampered, "row-1"), null, `byte ${i}`);
    }
  });

  test("truncated input opens nothing", () => {
    const sealed = seal(key, plaintext, "row-1");
    assert.equal(open(key, sealed.subarray(0, 27), "row-1"), null);
    assert.equal(open(key, sealed.subarray(0, sealed.length - 1), "row-1"), null);
    assert.equal(open(key, Buffer.alloc(0), "row-1"), null);
  });

  test("an empty plaintext round-trips", () => {
    assert.deepEqual(open(key, seal(key, Buffer.alloc(0), "a"), "a"), Buffer.alloc(0));
  });
});
