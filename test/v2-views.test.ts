// View limits through API v2 (docs/api-v2.md#view-limits) over a real loopback socket: `secret.views`
// on conceal and generate, `views_left` on the look and the reveal, and the receipt's views, views
// used and left and read times; the ceilings and a wrong passphrase. Every answer is checked against
// the OpenAPI document the server serves.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type ManualClock, manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, type TestApp } from "./support/helpers.js";
import { bearer, checkerFor, type Json, v2Client } from "./support/v2-support.js";

let t: TestApp;
let clock: ManualClock;
let call: ReturnType<typeof v2Client>;
let alice: Awaited<ReturnType<typeof makeAccount>>;

before(async () => {
  t = await makeTestApp({ VIEWS_MAX: "5", VIEWS_MAX_ANONYMOUS: "3" });
  clock = manualClock(t);
  alice = await makeAccount(t.deps, "alice@example.com");
  call = v2Client(t.app, await checkerFor(t.app));
});
after(() => t.close());

const record = (answer: { body: Json }) => answer.body.record as Json;
const receiptOf = async (key: unknown) => record(await call("GET", `/receipt/${key}`));
const views = (r: Json) => [r.views, r.views_used, r.views_left];

async function conceal(secret: Json, headers: Record<string, string> = {}) {
  const res = await call("POST", "/secret/conceal", { json: { secret }, headers });
  assert.equal(res.status, 200, res.raw);
  return { receipt: record(res).receipt as Json, secret: record(res).secret as Json };
}

describe("view limits", () => {
  test("a 3-view secret: three reveals, each with the views left; the receipt keeps every read time", async () => {
    const { receipt, secret } = await conceal({ secret: "for three", views: 3 });
    assert.deepEqual(views(receipt), [3, 0, 3]);
    assert.deepEqual([receipt.read_times, receipt.has_file], [[], false]);
    assert.equal(secret.views_left, 3);
    assert.equal(record(await call("GET", `/secret/${secret.key}`)).views_left, 3);

    const times: number[] = [];
    for (const left of [2, 1, 0]) {
      clock.advance(1.5);
      times.push(t.deps.now() / 1000);
      const revealed = await call("POST", `/secret/${secret.key}/reveal`, { json: {} });
      assert.deepEqual([record(revealed).secret_value, record(revealed).views_left], ["for three", left]);
      const now = await receiptOf(receipt.key);
      assert.deepEqual(views(now), [3, 3 - left, left]);
      assert.deepEqual(now.read_times, times);
      assert.equal(now.state, left > 0 ? "new" : "revealed", "live until the last view");
      assert.equal(now.share_url !== undefined, left > 0, "the link is shown while it still works");
    }
    const done = await receiptOf(receipt.key);
    assert.deepEqual([done.is_revealed, done.revealed], [true, times[2]]);
    assert.equal((await call("GET", `/secret/${secret.key}`)).status, 404);
  });

  test("views come as a number or as digits in a form; none means one", async () => {
    const form = await call("POST", "/secret/conceal", { form: "secret[secret]=f&secret[views]=2" });
    assert.deepEqual(views(record(form).receipt as Json), [2, 0, 2]);
    const plain = await conceal({ secret: "once" });
    assert.deepEqual(views(plain.receipt), [1, 0, 1]);
    const revealed = await call("POST", `/secret/${plain.secret.key}/reveal`, { json: {} });
    assert.equal(record(revealed).views_left, 0);
  });

  test("outside 1..ceiling is a 422 naming views; signed-in callers get VIEWS_MAX", async () => {
    for (const [value, error] of [
      [4, "Invalid parameter: views (from 1 to 3)"],
      [0, "Invalid parameter: views"],
      ["abc", "Invalid parameter: views"],
      [1.5, "Invalid parameter: views"],
    ] as const) {
      const res = await call("POST", "/secret/conceal", { json: { secret: { secret: "x", views: value } } });
      assert.equal(res.status, 422, String(value));
      assert.deepEqual(res.body, { error, error_type: "ValidationError", field: "views" });
    }
    const auth = { authorization: bearer(alice.token) };
    const five = await conceal({ secret: "x", views: 5 }, auth);
    assert.deepEqual(views(five.receipt), [5, 0, 5]);
    const six = await call("POST", "/secret/conceal", {
      json: { secret: { secret: "x", views: 6 } },
      headers: auth,
    });
    assert.deepEqual([six.status, six.body.error], [422, "Invalid parameter: views (from 1 to 5)"]);
    clock.advance(1);
    const generated = await call("POST", "/secret/generate", {
      json: { secret: { views: 4 } },
      headers: auth,
    });
    assert.deepEqual(views(record(generated).receipt as Json), [4, 0, 4]);
    const recent = await call("GET", "/receipt/recent", { headers: auth });
    assert.deepEqual(
      (recent.body.records as Json[]).map((r) => r.views),
      [4, 5],
    );
  });

  test("a wrong passphrase spends no view, and every view asks for it", async () => {
    const { receipt, secret } = await conceal({ secret: "guarded", passphrase: "pp", views: 2 });
    const reveal = (json: Json) => call("POST", `/secret/${secret.key}/reveal`, { json });
    assert.equal((await reveal({ passphrase: "no" })).status, 422);
    assert.deepEqual(views(await receiptOf(receipt.key)), [2, 0, 2]);
    assert.equal(record(await reveal({ passphrase: "pp" })).views_left, 1);
    assert.equal((await reveal({})).status, 422);
    assert.equal(record(await call("GET", `/secret/${secret.key}`)).views_left, 1);
    assert.equal(record(await reveal({ passphrase: "pp" })).views_left, 0);
  });

  test("burn mid-way ends the receipt at once: no view left, the reads made kept", async () => {
    const { receipt, secret } = await conceal({ secret: "cut short", views: 3 });
    await call("POST", `/secret/${secret.key}/reveal`, { json: {} });
    const burned = record(await call("POST", `/receipt/${receipt.key}/burn`, { json: {} }));
    assert.deepEqual([burned.state, ...views(burned)], ["burned", 3, 1, 0]);
    assert.equal((burned.read_times as number[]).length, 1);
    assert.equal((await call("POST", `/secret/${secret.key}/reveal`, { json: {} })).status, 404);
  });
});
