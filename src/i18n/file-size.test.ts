import assert from "node:assert/strict";
import { test } from "node:test";
import { fileSize } from "./file-size.js";

// ICU separates number and unit with a no-break space in some locales; compare plain spaces.
const plain = (s: string) => s.replace(/\s/g, " ");

test("sizes read in the largest decimal unit, in each language", () => {
  const en = (n: number) => plain(fileSize(n, "en"));
  const fr = (n: number) => plain(fileSize(n, "fr"));
  assert.equal(en(0), "0 bytes");
  assert.equal(en(1), "1 byte");
  assert.equal(en(999), "999 bytes");
  assert.equal(en(1000), "1 kB");
  assert.equal(en(38_512), "38.5 kB");
  assert.equal(en(999_960), "1 MB");
  assert.equal(en(5_242_880), "5.2 MB");
  assert.equal(fr(1), "1 octet");
  assert.equal(fr(512), "512 octets");
  assert.equal(fr(38_512), "38,5 ko");
  assert.equal(fr(5_242_880), "5,2 Mo");
});
