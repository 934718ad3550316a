import assert from "node:assert/strict";
import { test } from "node:test";
import { formatDuration, parseTtl } from "./ttl.js";

test("a TTL is seconds, or a number with s, m, h or d", () => {
  for (const [text, seconds] of [
    ["90", 90],
    ["90s", 90],
    ["30m", 1800],
    ["1h", 3600],
    ["7d", 604800],
    [" 2H ", 7200],
  ] as const) {
    assert.equal(parseTtl(text), seconds, text);
  }
  for (const text of ["", "0", "0h", "-5", "1.5h", "1w", "h", "1 h", "1h30m", "soon", "9999999999"]) {
    assert.equal(parseTtl(text), null, text);
  }
});

test("durations are written the short way", () => {
  assert.equal(formatDuration(45), "45s");
  assert.equal(formatDuration(1800), "30m");
  assert.equal(formatDuration(5400), "1h 30m");
  assert.equal(formatDuration(7 * 86400 + 7200 + 60), "7d 2h");
});
