import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { AppError, ERROR_CODES, type ErrorCode, isAppError } from "./errors.js";

const SRC = join(import.meta.dirname, "..");

test("every code in the catalogue has an error status and says what it means", () => {
  for (const [code, spec] of Object.entries(ERROR_CODES)) {
    assert.match(code, /^[a-z]+(_[a-z]+)*$/, code);
    assert.ok(spec.status >= 400 && spec.status < 600, code);
    assert.ok(spec.meaning.length > 10, code);
  }
});

test("every code in the catalogue is thrown somewhere in src/", () => {
  const sources = readdirSync(SRC, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"))
    .map((f) => readFileSync(join(SRC, f), "utf8"))
    .join("\n");
  const thrown = new Set([...sources.matchAll(/new AppError\(\s*"([a-z_]+)"/g)].map((m) => m[1]));
  const never = Object.keys(ERROR_CODES).filter((code) => !thrown.has(code));
  assert.deepEqual(never, [], "codes that nothing throws");
});

test("an AppError carries its code, details and cause; isAppError tells it by code", () => {
  const cause = new Error("disk I/O error");
  const err = new AppError("store_unavailable", {}, { cause });
  assert.equal(err.name, "AppError");
  assert.equal(err.message, "store_unavailable");
  assert.equal(err.cause, cause);
  assert.ok(isAppError(err));
  assert.ok(isAppError(err, "store_unavailable"));
  assert.ok(!isAppError(err, "rate_limited" satisfies ErrorCode));
  assert.ok(!isAppError(cause));
  assert.deepEqual(new AppError("secret_too_large", { max: 10 }).details, { max: 10 });
});
