import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createRandomPool } from "./random.js";

describe("createRandomPool", () => {
  test("hands out fresh bytes of the asked length, across refills", () => {
    const draw = createRandomPool(64);
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const bytes = draw(20);
      assert.equal(bytes.length, 20);
      seen.add(bytes.toString("hex"));
    }
    assert.equal(seen.size, 100);
    assert.equal(draw(100).length, 100);
  });

  test("a drawn buffer is a copy: the pool's bytes are not shared", () => {
    const draw = createRandomPool(64);
    const a = draw(16);
    const copy = Buffer.from(a);
    draw(16);
    assert.deepEqual(a, copy);
    assert.notDeepEqual(a, Buffer.alloc(16));
  });
});
