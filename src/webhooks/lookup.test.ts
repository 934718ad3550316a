import assert from "node:assert/strict";
import type { LookupAddress } from "node:dns";
import { describe, test } from "node:test";
import { createGuardedLookup, REFUSED_ADDRESS, type Resolver } from "./lookup.js";

// A DNS answer that changes between two lookups of one name (rebinding): the guard judges the
// addresses of the lookup the socket connects with, so the second, loopback answer is refused.
function rebinding(answers: LookupAddress[][]): Resolver {
  let call = 0;
  return (_hostname, _options, callback) => {
    const answer = answers[Math.min(call++, answers.length - 1)] as LookupAddress[];
    queueMicrotask(() => callback(null, answer));
  };
}

function look(
  resolve: Resolver,
  all: boolean,
): Promise<{ err: NodeJS.ErrnoException | null; address: unknown }> {
  return new Promise((done) => {
    createGuardedLookup(resolve)("hooks.example", { all }, (err, address) => done({ err, address }));
  });
}

describe("guarded lookup", () => {
  test("a name that rebinds from a public address to loopback is refused on the second lookup", async () => {
    const resolve = rebinding([
      [{ address: "93.184.215.14", family: 4 }],
      [{ address: "127.0.0.1", family: 4 }],
    ]);
    const first = await look(resolve, false);
    assert.equal(first.err, null);
    assert.equal(first.address, "93.184.215.14");
    const second = await look(resolve, false);
    assert.equal(second.err?.code, REFUSED_ADDRESS);
  });

  test("refuses when any address is not deliverable, also IPv4-mapped loopback", async () => {
    const mixed: LookupAddress[] = [
      { address: "93.184.215.14", family: 4 },
      { address: "::ffff:127.0.0.1", family: 6 },
    ];
    assert.equal((await look(rebinding([mixed]), true)).err?.code, REFUSED_ADDRESS);
    assert.equal((await look(rebinding([[]]), true)).err?.code, REFUSED_ADDRESS);
  });

  test("answers in the shape asked: every address with all, else the first", async () => {
    const answer: LookupAddress[] = [
      { address: "93.184.215.14", family: 4 },
      { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 },
    ];
    assert.deepEqual((await look(rebinding([answer]), true)).address, answer);
    assert.equal((await look(rebinding([answer]), false)).address, "93.184.215.14");
  });

  test("passes a resolver's error on", async () => {
    const failing: Resolver = (_h, _o, callback) => {
      const error: NodeJS.ErrnoException = new Error("getaddrinfo ENOTFOUND");
      error.code = "ENOTFOUND";
      callback(error, []);
    };
    assert.equal((await look(failing, false)).err?.code, "ENOTFOUND");
  });
});
