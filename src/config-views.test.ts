import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, loadConfig } from "./config.js";

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected a ConfigError, got ${err}`);
    return err.problems;
  }
}

test("view limits: 10 for everyone by default; the anonymous ceiling follows VIEWS_MAX unless set", () => {
  assert.deepEqual(loadConfig({}).views, { max: 10, maxAnonymous: 10 });
  assert.deepEqual(loadConfig({ VIEWS_MAX: "4" }).views, { max: 4, maxAnonymous: 4 });
  assert.deepEqual(loadConfig({ VIEWS_MAX: "20", VIEWS_MAX_ANONYMOUS: "3" }).views, {
    max: 20,
    maxAnonymous: 3,
  });
  assert.deepEqual(loadConfig({ VIEWS_MAX: "1" }).views, { max: 1, maxAnonymous: 1 }, "one view only");
});

test("view limits: bad values are named, and the anonymous ceiling may not pass VIEWS_MAX", () => {
  assert.deepEqual(problems({ VIEWS_MAX: "0" }), ["VIEWS_MAX must be between 1 and 1000 (got 0)"]);
  assert.deepEqual(problems({ VIEWS_MAX: "many" }), ['VIEWS_MAX must be a whole number (got "many")']);
  assert.deepEqual(problems({ VIEWS_MAX_ANONYMOUS: "1001" }), [
    "VIEWS_MAX_ANONYMOUS must be between 1 and 1000 (got 1001)",
  ]);
  assert.deepEqual(problems({ VIEWS_MAX: "3", VIEWS_MAX_ANONYMOUS: "5" }), [
    "VIEWS_MAX_ANONYMOUS must not be greater than VIEWS_MAX",
  ]);
});
