import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AppError } from "./errors.js";
import { maskAddress, parseRecipients } from "./recipients.js";

describe("maskAddress", () => {
  test("keeps two local characters, one domain character and the top-level domain", () => {
    assert.equal(maskAddress("foo@example.com"), "fo*****@e*****.com");
    assert.equal(maskAddress("alice.smith@mail.example.org"), "al*****@m*****.org");
    assert.equal(maskAddress("a@b.io"), "a*****@b*****.io");
  });

  test("hides how long the parts are", () => {
    assert.equal(maskAddress("bob@x.io"), maskAddress("bobby-tables@xylophone.io"));
  });
});

describe("parseRecipients", () => {
  test("takes the address out of each value", () => {
    assert.deepEqual(parseRecipients(["Bob <bob@x.io>", "alice@example.com"]), [
      "bob@x.io",
      "alice@example.com",
    ]);
    assert.deepEqual(parseRecipients([]), []);
  });

  test("rejects a value without an address, naming it", () => {
    assert.throws(
      () => parseRecipients(["bob@x.io", "not-an-address"]),
      (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.code, "undeliverable_recipient");
        assert.deepEqual(err.details, { address: "not-an-address" });
        return true;
      },
    );
    assert.throws(() => parseRecipients(["bob@localhost"]), AppError);
  });

  test("rejects values longer than an address can be, quoting only their start", () => {
    const long = `${"a".repeat(400)}@example.com`;
    assert.throws(
      () => parseRecipients([long]),
      (err: unknown) => err instanceof AppError && err.details.address === long.slice(0, 320),
    );
  });

  test("never runs the address search on a long value", (t) => {
    // The unanchored search is quadratic: 60 kB of "a" would block the event loop for seconds.
    const exec = t.mock.method(RegExp.prototype, "exec");
    assert.throws(() => parseRecipients(["a".repeat(10_000)]), AppError);
    assert.ok(exec.mock.calls.every((call) => String(call.arguments[0]).length <= 320));
  });
});
