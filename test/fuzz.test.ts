// A short run of `npm run fuzz` (fuzz/): 1,500 random and malformed requests with a fixed seed, and
// 1,500 with a seed drawn now and printed, each against a real server process. Any 5xx, any answer
// without the security headers, a log line with a query string or at error level fails the test
// with the requests that caused it.
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { describe, test } from "node:test";
import { check, passed, report, runFuzz } from "../fuzz/fuzz.js";
import { parseResponses } from "../fuzz/wire.js";

const REQUESTS = 1500;
const FIXED_SEED = 20261202;

describe("fuzzing a real server", () => {
  for (const [name, seed] of [
    ["a fixed seed", FIXED_SEED],
    ["a random seed", randomInt(2 ** 31)],
  ] as const) {
    test(`${name} (${seed}): no 5xx, every header, nothing in the log`, async (t) => {
      t.diagnostic(`fuzz seed ${seed}: npm run fuzz -- --seed ${seed}`);
      const result = await runFuzz({ seed, requests: REQUESTS, durationMs: 120_000, concurrency: 8 });
      t.diagnostic(report(result).split("\n").slice(0, 4).join(" | "));
      assert.ok(passed(result), report(result));
      assert.equal(result.sent, REQUESTS, "every request was sent");
    });
  }
});

describe("the fuzzer's own checks", () => {
  const answer = (text: string, methods = ["GET"]) =>
    parseResponses(Buffer.from(text.replace(/\n/g, "\r\n"), "latin1"), methods).responses;
  const HEADERS =
    "X-Content-Type-Options: nosniff\nX-Frame-Options: DENY\nReferrer-Policy: no-referrer\n" +
    "Content-Security-Policy: default-src 'none'\nCache-Control: no-store\n";

  test("a 5xx, or an answer without a security header, is a problem; 100 Continue is not", () => {
    const [ok, bare, error] = [
      answer(`HTTP/1.1 404 Not Found\n${HEADERS}Content-Length: 2\n\n{}`),
      answer("HTTP/1.1 400 Bad Request\nContent-Length: 0\n\n"),
      answer(`HTTP/1.1 500 Internal Server Error\n${HEADERS}Content-Length: 0\n\n`),
    ].map((r) => r[0]);
    assert.equal(check(ok ?? assert.fail()), null);
    assert.match(check(bare ?? assert.fail()) ?? "", /without x-content-type-options, x-frame-options/);
    assert.equal(check(error ?? assert.fail()), "status 500");
    assert.equal(check({ status: 100, headers: new Map() }), null);
  });

  test("pipelined, chunked and HEAD answers are told apart", () => {
    const text =
      "HTTP/1.1 100 Continue\n\n" +
      `HTTP/1.1 200 OK\n${HEADERS}Content-Length: 5\n\n` +
      `HTTP/1.1 200 OK\n${HEADERS}Transfer-Encoding: chunked\n\n3\nabc\n0\n\n` +
      `HTTP/1.1 503 Service Unavailable\n${HEADERS}Content-Length: 2\n\n{}`;
    const { responses, complete } = parseResponses(Buffer.from(text.replace(/\n/g, "\r\n")), [
      "HEAD",
      "GET",
      "GET",
    ]);
    assert.deepEqual(
      responses.map((r) => r.status),
      [100, 200, 200, 503],
    );
    assert.equal(complete, true);
  });
});
