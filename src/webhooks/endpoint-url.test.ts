import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkEndpointUrl, isAllowedHost, parseAllowedHost } from "./endpoint-url.js";

describe("checkEndpointUrl", () => {
  test("accepts a public https URL and returns it normalised", () => {
    assert.deepEqual(checkEndpointUrl("https://Hooks.Example.com/in?x=1", []), {
      ok: true,
      url: "https://hooks.example.com/in?x=1",
    });
    assert.deepEqual(checkEndpointUrl("https://8.8.8.8:8443/", []), {
      ok: true,
      url: "https://8.8.8.8:8443/",
    });
  });

  test("refuses what is no absolute http(s) URL", () => {
    for (const url of [
      "",
      "hooks.example.com",
      "ftp://example.com/",
      "javascript:alert(1)",
      "https://",
      "https://x/#f",
    ]) {
      assert.deepEqual(checkEndpointUrl(url, []), { ok: false, error: "bad_url" }, url);
    }
    assert.deepEqual(checkEndpointUrl(`https://example.com/${"a".repeat(2048)}`, []), {
      ok: false,
      error: "bad_url",
    });
  });

  test("refuses a user or password in the URL", () => {
    assert.deepEqual(checkEndpointUrl("https://user:pw@example.com/", []), {
      ok: false,
      error: "credentials_in_url",
    });
    assert.deepEqual(checkEndpointUrl("https://user@example.com/", []), {
      ok: false,
      error: "credentials_in_url",
    });
  });

  test("http only for an allowed host", () => {
    assert.deepEqual(checkEndpointUrl("http://example.com/", []), { ok: false, error: "http_not_allowed" });
    assert.equal(checkEndpointUrl("http://example.com/", ["example.com"]).ok, true);
  });

  test("refuses a literal private, loopback or metadata address, in any spelling, unless allowed", () => {
    const urls = [
      "https://127.0.0.1/",
      "https://2130706433/",
      "https://0x7f.1/",
      "https://[::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://169.254.169.254/latest/meta-data/",
      "https://[fd00:ec2::254]/",
      "https://10.0.0.1/",
      "https://localhost/",
      "https://api.localhost/",
    ];
    for (const url of urls) {
      assert.deepEqual(checkEndpointUrl(url, []), { ok: false, error: "refused_address" }, url);
    }
    assert.equal(checkEndpointUrl("https://127.0.0.1/", ["127.0.0.1"]).ok, true);
    assert.equal(checkEndpointUrl("http://[::1]:8080/", ["::1"]).ok, true);
  });
});

describe("the allow-list", () => {
  test("an entry is a host (any port) or a host and port, normalised like a URL's", () => {
    assert.deepEqual(parseAllowedHost("Hooks.Internal"), { host: "hooks.internal", port: null });
    assert.deepEqual(parseAllowedHost("hooks.internal:8443"), { host: "hooks.internal", port: "8443" });
    assert.deepEqual(parseAllowedHost("::1"), { host: "[::1]", port: null });
    assert.deepEqual(parseAllowedHost("[0:0::1]:8080"), { host: "[::1]", port: "8080" });
    assert.deepEqual(parseAllowedHost(" 127.0.0.1 "), { host: "127.0.0.1", port: null });
    for (const bad of ["", "http://x/", "x/y", "user@x", "x:0", "x:70000", "x:1:2", ":80"]) {
      assert.equal(parseAllowedHost(bad), null, bad);
    }
  });

  test("matches the URL's host exactly, and its port when the entry names one", () => {
    const allow = ["hooks.internal:8443", "127.0.0.1", "[::1]:80"];
    assert.equal(isAllowedHost(new URL("https://hooks.internal:8443/"), allow), true);
    assert.equal(isAllowedHost(new URL("https://hooks.internal/"), allow), false);
    assert.equal(isAllowedHost(new URL("https://api.hooks.internal:8443/"), allow), false);
    assert.equal(isAllowedHost(new URL("http://127.0.0.1:5555/"), allow), true);
    assert.equal(isAllowedHost(new URL("http://[::1]/"), allow), true);
    assert.equal(isAllowedHost(new URL("http://[::1]:81/"), allow), false);
    assert.equal(isAllowedHost(new URL("http://localhost/"), allow), false);
  });
});
