// v1 stays one view: its clients know nothing of view limits. A v1 share is always views=1 (a `views`
// parameter is ignored, as any unknown one), and a v1 reveal of a secret made with more views (API v2,
// the pages, the CLI) reads one of them, like any other reader; its answer is unchanged.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { conceal } from "../src/actions/create.js";
import { showReceipt } from "../src/actions/receipt.js";
import { makeTestApp, share, type TestApp } from "./support/helpers.js";
import { assertKeys, ok, RECEIVED_KEYS, readMetadata, reveal } from "./support/v1-support.js";

let t: TestApp;
before(async () => {
  t = await makeTestApp();
});
after(() => t.close());

const caller = { ip: "192.0.2.1", account: null };

test("a v1 share is one view, whatever `views` it sends", async () => {
  for (const views of ["3", "0", "abc"]) {
    const created = await share(t.app, { secret: "v1 text", ttl: "3600", views });
    assert.equal((await showReceipt(t.deps, caller, created.metadata_key)).views, 1);
    assert.equal(ok(await reveal(t.app, created.secret_key)).value, "v1 text");
    assert.equal(ok(await readMetadata(t.app, created.metadata_key)).state, "received");
    assert.equal((await reveal(t.app, created.secret_key)).statusCode, 404);
  }
});

test("a v1 reveal of a 3-view secret reads one view; the receipt stays live until the third", async () => {
  const made = await conceal(t.deps, caller, { secret: "three readers", recipients: [], views: 3 });
  const key = made.secretKey ?? "";
  for (const [used, state] of [
    [1, "viewed"],
    [2, "viewed"],
    [3, "received"],
  ] as const) {
    const answer = ok(await reveal(t.app, key));
    assertKeys(answer, ["value", "secret_key", "share_domain"]);
    assert.equal(answer.value, "three readers");
    const receipt = await showReceipt(t.deps, caller, made.metadataKey);
    assert.deepEqual([receipt.readTimes.length, receipt.state], [used, state]);
  }
  assert.equal((await reveal(t.app, key)).statusCode, 404);
  const metadata = ok(await readMetadata(t.app, made.metadataKey));
  assertKeys(metadata, RECEIVED_KEYS);
  assert.equal(metadata.state, "received");
});
