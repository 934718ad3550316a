import assert from "node:assert/strict";
import { hkdfSync, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { open } from "./aead.js";
import { openForSession, openWithPassword, sealForSession, sealWithPassword } from "./list-key.js";

const listKey = randomBytes(32);
const wrapKey = randomBytes(32);
const token = randomBytes(32).toString("base64url");

describe("the password's copy of the list key", () => {
  test("opens with the same wrapping key for the same account only", () => {
    const sealed = sealWithPassword(wrapKey, "account-a", listKey);
    assert.deepEqual(openWithPassword(wrapKey, "account-a", sealed), listKey);
    assert.equal(openWithPassword(wrapKey, "account-b", sealed), null);
    assert.equal(openWithPassword(randomBytes(32), "account-a", sealed), null);
  });

  test("keeps the stored format: AES-GCM under the wrapping key, bound to list:<account id>", () => {
    // Credentials written before this module existed must keep opening, and the other way round.
    const sealed = sealWithPassword(wrapKey, "account-a", listKey);
    assert.deepEqual(open(wrapKey, sealed, "list:account-a"), listKey);
  });
});

describe("a session's copy of the list key", () => {
  test("opens with the session's token for the same session only", () => {
    const sealed = sealForSession(token, "session-1", listKey);
    assert.deepEqual(openForSession(token, "session-1", sealed), listKey);
    assert.equal(openForSession(token, "session-2", sealed), null);
    assert.equal(openForSession(randomBytes(32).toString("base64url"), "session-1", sealed), null);
  });

  test("keeps the stored format: a key derived from the token by HKDF, bound to the session id", () => {
    const key = Buffer.from(
      hkdfSync("sha256", Buffer.from(token), "onetime/session", "session-list-wrap", 32),
    );
    assert.deepEqual(open(key, sealForSession(token, "session-1", listKey), "session-1"), listKey);
  });
});
