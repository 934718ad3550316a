import assert from "node:assert/strict";
import { test } from "node:test";
import { redactPath } from "./redact.js";

const KEY = "8nq2b1x0u4v6m3k9p5r7t2w4y6z8a0c";

test("the query string never reaches the log line", () => {
  assert.equal(redactPath("/api/v1/share?secret=hunter2&passphrase=pw"), "/api/v1/share");
  assert.equal(redactPath("/api/v1/status?"), "/api/v1/status");
  assert.equal(redactPath("/?a=b?c=d"), "/");
});

test("keys after secret, private, metadata and receipt are cut to 4 characters", () => {
  assert.equal(redactPath(`/api/v1/secret/${KEY}`), "/api/v1/secret/8nq2…");
  assert.equal(redactPath(`/api/v1/private/${KEY}`), "/api/v1/private/8nq2…");
  assert.equal(redactPath(`/api/v1/metadata/${KEY}/burn`), "/api/v1/metadata/8nq2…/burn");
  assert.equal(redactPath(`/api/v1/receipt/${KEY}?passphrase=x`), "/api/v1/receipt/8nq2…");
  assert.equal(redactPath(`/secret/${KEY}`), "/secret/8nq2…");
});

test("short keys, `recent` and ordinary segments are kept", () => {
  assert.equal(redactPath("/api/v1/private/recent"), "/api/v1/private/recent");
  assert.equal(redactPath("/api/v1/receipt/recent"), "/api/v1/receipt/recent");
  assert.equal(redactPath("/api/v1/secret/abcd"), "/api/v1/secret/abcd");
  assert.equal(redactPath("/api/v1/secret/"), "/api/v1/secret/");
  assert.equal(redactPath("/api/v1/status"), "/api/v1/status");
  assert.equal(redactPath("/"), "/");
  assert.equal(redactPath(""), "");
});

test("any long segment is cut, wherever it appears", () => {
  assert.equal(redactPath(`/api/v1/unknown/${KEY}`), "/api/v1/unknown/8nq2…");
  assert.equal(redactPath(`/${KEY}`), "/8nq2…");
  assert.equal(redactPath(`/api/v1/${"x".repeat(5000)}/tail`), "/api/v1/xxxx…/tail");
  assert.equal(redactPath(`/a/${"y".repeat(20)}`), `/a/${"y".repeat(20)}`);
});

test("percent-encoded and odd keys are cut before they are decoded", () => {
  assert.equal(redactPath("/api/v1/secret/%3Cscript%3E"), "/api/v1/secret/%3Cs…");
  assert.equal(redactPath("/api/v1/secret/a%2Fbcdef"), "/api/v1/secret/a%2F…");
});

test("no part of a full key survives beyond its first 4 characters", () => {
  for (const prefix of ["secret", "private", "metadata", "receipt", "other"]) {
    const line = redactPath(`/api/v1/${prefix}/${KEY}/burn?k=${KEY}`);
    assert.ok(!line.includes(KEY.slice(0, 5)), line);
    assert.ok(!line.includes("?"), line);
  }
});

test("API v2: route words stay, keys before /reveal and /status are cut", () => {
  assert.equal(redactPath("/api/v2/secret/conceal"), "/api/v2/secret/conceal");
  assert.equal(redactPath("/api/v2/secret/generate"), "/api/v2/secret/generate");
  assert.equal(redactPath(`/api/v2/secret/${KEY}/reveal`), `/api/v2/secret/${KEY.slice(0, 4)}…/reveal`);
  assert.equal(redactPath(`/api/v2/receipt/${KEY}/burn`), `/api/v2/receipt/${KEY.slice(0, 4)}…/burn`);
});
