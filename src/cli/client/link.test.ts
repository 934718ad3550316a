import assert from "node:assert/strict";
import { test } from "node:test";
import { EXIT } from "./errors.js";
import { locate, serverBase } from "./link.js";

const HERE = "http://localhost:3000";

test("a bare key is on the default server; a link names its own, sub-path included", () => {
  assert.deepEqual(locate("abc123", "secret", HERE), { server: HERE, key: "abc123", fragment: null });
  assert.deepEqual(locate("https://s.example.com/secret/abc123", "secret", HERE), {
    server: "https://s.example.com",
    key: "abc123",
    fragment: null,
  });
  assert.deepEqual(locate("https://example.com:8443/ots/secret/abc123/#frag", "secret", HERE), {
    server: "https://example.com:8443/ots",
    key: "abc123",
    fragment: "frag",
  });
  for (const link of ["http://h/receipt/k1", "http://h/private/k1"]) {
    assert.deepEqual(locate(link, "receipt", HERE), { server: "http://h", key: "k1", fragment: null });
  }
});

test("a client-encrypted secret's key k rides in the fragment, of a link or of a bare key", () => {
  assert.deepEqual(locate("abc123#kkk", "secret", HERE), { server: HERE, key: "abc123", fragment: "kkk" });
  assert.deepEqual(locate("http://h/secret/abc123#", "secret", HERE).fragment, null);
});

test("anything else is a usage error, and a link of the other kind says which it is", () => {
  for (const [arg, target, message] of [
    ["http://h/receipt/k1", "secret", /that is a receipt link/],
    ["http://h/secret/k1", "receipt", /that is a secret link/],
    ["http://h/elsewhere/k1", "secret", /not a secret link or key/],
    ["ftp://h/secret/k1", "secret", /not a secret link or key/],
    ["http://h/secret/k-1", "secret", /not a secret link or key/],
    ["key with spaces", "receipt", /not a receipt link or key/],
    ["x".repeat(129), "secret", /not a secret link or key/],
  ] as const) {
    assert.throws(
      () => locate(arg, target, HERE),
      (err: { exit?: number; message?: string }) =>
        err.exit === EXIT.usage && message.test(err.message ?? ""),
      arg,
    );
  }
});

test("a server URL loses its trailing slashes; credentials in it are refused", () => {
  assert.equal(serverBase("https://s.example.com/"), "https://s.example.com");
  assert.equal(serverBase("https://s.example.com/ots//"), "https://s.example.com/ots");
  assert.throws(() => serverBase("https://alice:token@s.example.com"), /ONETIME_USER and ONETIME_TOKEN/);
  assert.throws(() => serverBase("s.example.com"), /not a server URL/);
});
