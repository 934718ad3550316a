import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";

let t: TestApp;
before(async () => {
  t = await makeTestApp();
});
after(() => t.close());

test("share then reveal returns the plaintext once", async () => {
  const created = await share(t.app, { secret: "hello", ttl: "3600" });
  const first = await postForm(t.app, `/secret/${created.secret_key}`);
  assert.equal(first.statusCode, 200);
  assert.equal(first.json().value, "hello");
  const second = await postForm(t.app, `/secret/${created.secret_key}`);
  assert.equal(second.statusCode, 404);
  assert.deepEqual(second.json(), { message: "Unknown secret", secret_key: created.secret_key });
});
