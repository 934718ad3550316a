import assert from "node:assert/strict";
import { test } from "node:test";
import { direction } from "./direction.js";

test("Arabic, Hebrew, Persian and Urdu read right to left, with or without a region; the rest left to right", () => {
  for (const code of ["ar", "ar-EG", "he", "fa", "ur-PK", "AR"]) assert.equal(direction(code), "rtl", code);
  for (const code of ["en", "fr", "ja", "zh-CN", "pt-BR", "uk", "arn"])
    assert.equal(direction(code), "ltr", code);
});
