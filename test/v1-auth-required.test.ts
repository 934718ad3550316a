// AUTH_REQUIRED on the v1 API: anonymous callers cannot create; accounts can; anyone can read.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { makeAccount, makeTestApp, postForm, type TestApp } from "./support/helpers.js";

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", AUTH_REQUIRED: "true" });
});
after(() => t.close());

test("anonymous share and generate are refused as not authorized; nothing is stored", async () => {
  for (const path of ["/share", "/create", "/generate"]) {
    const res = await postForm(t.app, path, { secret: "x" });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers["x-ots-intended-status"], "401");
    assert.deepEqual(res.json(), { message: "Not authorized" });
  }
  assert.equal(await t.deps.store.purgeExpired(Date.now() + 400 * 86400_000), 0);
});

test("an account creates; an anonymous reader still reads", async () => {
  const alice = await makeAccount(t.deps);
  const made = await postForm(
    t.app,
    "/share",
    { secret: "for anyone" },
    { authorization: alice.authorization },
  );
  assert.equal(made.statusCode, 200);
  const read = await postForm(t.app, `/secret/${made.json().secret_key}`);
  assert.equal(read.json().value, "for anyone");
});
