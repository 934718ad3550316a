import assert from "node:assert/strict";
import { test } from "node:test";
import { EXIT, statusFailure } from "./errors.js";

test("an error answer's status picks the exit status", () => {
  const none = new Headers();
  for (const [status, exit] of [
    [400, EXIT.usage],
    [401, EXIT.auth],
    [403, EXIT.auth],
    [404, EXIT.notFound],
    [413, EXIT.usage],
    [422, EXIT.usage],
    [429, EXIT.unavailable],
    [500, EXIT.unavailable],
    [503, EXIT.unavailable],
  ] as const) {
    assert.equal(statusFailure(status, "m", none).exit, exit, String(status));
  }
  const limited = statusFailure(429, "slow down", new Headers({ "retry-after": "60" }));
  assert.equal(limited.message, "rate limited by the server: retry in 60 s (slow down)");
});

test("a server's words cannot move the cursor, color the terminal or add a line", () => {
  const failure = statusFailure(400, "bad\u001b[2J\u001b]0;pwned\u0007\r\nsecond line\u009b", new Headers());
  assert.equal(failure.message, "the server refused: bad?[2J?]0;pwned???second line?");
});
