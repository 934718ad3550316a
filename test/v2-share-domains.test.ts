// Share domains through API v2 over a real loopback socket: GET /status lists the hosts a link may
// name (HOST first, then SHARE_DOMAINS); conceal and generate take a listed one and put it in
// share_url, and refuse any other with 422 ValidationError, field share_domain and the list in the
// message, storing nothing. Every answer is checked against the OpenAPI document the server serves.
// API v1 keeps ignoring an unlisted domain: test/v1-contract.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { secretRows } from "./support/actions.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { checkerFor, type Json, v2Client } from "./support/v2-support.js";

let t: TestApp;
let call: ReturnType<typeof v2Client>;

before(async () => {
  t = await makeTestApp({ HOST: "onetime.example", SHARE_DOMAINS: "links.example.com,Share.Example.org" });
  call = v2Client(t.app, await checkerFor(t.app));
});
after(() => t.close());

const LIST = ["onetime.example", "links.example.com", "share.example.org"];
const record = (answer: { body: Json }) => answer.body.record as Json;

describe("share domains on API v2", () => {
  test("status lists them: the site's own host first", async () => {
    const status = await call("GET", "/status");
    assert.deepEqual((status.body.capabilities as Json).share_domains, LIST);
  });

  test("without HOST and SHARE_DOMAINS, status lists none", async () => {
    const bare = await makeTestApp({ HOST: "" });
    try {
      const status = await v2Client(bare.app, await checkerFor(bare.app))("GET", "/status");
      assert.equal("share_domains" in (status.body.capabilities as Json), false);
    } finally {
      await bare.close();
    }
  });

  for (const path of ["/secret/conceal", "/secret/generate"]) {
    test(`${path}: each listed domain makes share_url on that host`, async () => {
      for (const domain of LIST) {
        const res = await call("POST", path, { json: { secret: { secret: "x", share_domain: domain } } });
        assert.equal(res.status, 200, res.raw);
        const receipt = record(res).receipt as Json;
        assert.equal(new URL(String(receipt.share_url)).host, domain);
        // The site's own host is stored as "" (links follow HOST), as v1 does.
        const stored = domain === "onetime.example" ? "" : domain;
        assert.deepEqual([receipt.share_domain, record(res).share_domain], [stored, stored]);
      }
    });

    test(`${path}: an unlisted domain is 422 share_domain naming the list; nothing is stored`, async () => {
      const before = secretRows(t.dataDir);
      for (const domain of ["evil.example", "onetime.example.evil.example", "localhost:3000"]) {
        const res = await call("POST", path, { json: { secret: { secret: "x", share_domain: domain } } });
        assert.equal(res.status, 422, res.raw);
        assert.deepEqual(res.body, {
          error: `Invalid parameter: share_domain (one of: ${LIST.join(", ")})`,
          error_type: "ValidationError",
          field: "share_domain",
        });
      }
      // A form says the same.
      const form = await call("POST", path, { form: "secret[secret]=x&secret[share_domain]=evil.example" });
      assert.equal(form.status, 422);
      assert.deepEqual(secretRows(t.dataDir), before);
    });
  }

  test("an empty share_domain is the site's own", async () => {
    const res = await call("POST", "/secret/conceal", {
      json: { secret: { secret: "x", share_domain: "" } },
    });
    assert.equal(new URL(String((record(res).receipt as Json).share_url)).host, "onetime.example");
  });
});
