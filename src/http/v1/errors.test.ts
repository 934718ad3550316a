import assert from "node:assert/strict";
import { test } from "node:test";
import { AppError } from "../../domain/errors.js";
import { v1Error } from "./errors.js";

test("v1 answers a wrong passphrase exactly as an unknown secret", () => {
  const key = "abc123";
  const unknown = v1Error(new AppError("unknown_secret", { key }), "/secret/abc123");
  assert.deepEqual(unknown, { intended: 404, body: { message: "Unknown secret", secret_key: key } });
  assert.deepEqual(v1Error(new AppError("wrong_passphrase", { key }), "/secret/abc123"), unknown);
});

test("v1 words its codes with the catalogue's status; codes of other surfaces have no v1 words", () => {
  assert.deepEqual(v1Error(new AppError("rate_limited"), "/share"), {
    intended: 429,
    body: { message: "Cripes! You have been rate limited." },
  });
  assert.deepEqual(v1Error(new AppError("auth_disabled"), "/api/v1/authcheck"), {
    intended: 404,
    body: { message: "/api/v1/authcheck is not available" },
  });
  assert.deepEqual(v1Error(new AppError("store_unavailable"), "/share"), {
    intended: 503,
    body: { message: "We'll be back shortly!" },
  });
  for (const code of ["bad_credentials", "link_invalid", "mail_refused"] as const) {
    assert.equal(v1Error(new AppError(code), "/share"), null, code);
  }
});
