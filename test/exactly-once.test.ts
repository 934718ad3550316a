// Principle 1: a secret is read at most once, however many readers race — in one process, and across
// two server processes sharing one SQLite data directory. A reveal racing a burn has one winner too,
// and the receipt records which.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import { get, pick, post, type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const READERS = 64;
const UNKNOWN = "Unknown secret";

describe("exactly once, in process", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp();
  });
  after(() => t.close());

  for (const passphrase of [undefined, "correct horse battery staple"]) {
    const kind = passphrase === undefined ? "a secret" : "a passphrase secret";
    test(`${READERS} concurrent reveals of ${kind}: one gets the value, the rest are told it is unknown`, async () => {
      const value = `plain-${crypto.randomUUID()}`;
      const created = await share(
        t.app,
        passphrase === undefined ? { secret: value } : { secret: value, passphrase },
      );
      const form: Record<string, string> = passphrase === undefined ? {} : { passphrase };
      const answers = await Promise.all(
        Array.from({ length: READERS }, () => postForm(t.app, `/secret/${created.secret_key}`, form)),
      );
      const winners = answers.filter((a) => a.statusCode === 200);
      assert.equal(winners.length, 1);
      assert.equal(winners[0]?.json().value, value);
      for (const loser of answers.filter((a) => a.statusCode !== 200)) {
        assert.equal(loser.statusCode, 404);
        assert.deepEqual(loser.json(), { message: UNKNOWN, secret_key: created.secret_key });
      }
      const receipt = await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` });
      assert.equal(receipt.json().state, "received");
    });
  }

  test("reveal racing burn: exactly one wins and the receipt says which (30 secrets)", async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const created = await share(t.app, { secret: `plain-${i}-${crypto.randomUUID()}` });
        const reveal = () => postForm(t.app, `/secret/${created.secret_key}`);
        const burn = () => postForm(t.app, `/private/${created.metadata_key}/burn`);
        const [revealed, burned] =
          i % 2 === 0
            ? await Promise.all([reveal(), burn()])
            : (await Promise.all([burn(), reveal()])).reverse();
        const receipt = await t.app.inject({ method: "GET", url: `/api/v1/private/${created.metadata_key}` });
        return {
          revealed: revealed?.statusCode === 200,
          burned: burned?.statusCode === 200,
          state: receipt.json().state,
        };
      }),
    );
    for (const { revealed, burned, state } of outcomes) {
      assert.equal(revealed !== burned, true, "exactly one of reveal and burn succeeds");
      assert.equal(state, revealed ? "received" : "burned");
    }
  });
});

describe("exactly once, two server processes on one data directory", () => {
  const SECRET = "exactly-once-root-secret-0123456789abcdef";
  const dir = tempDir("onetime-two-procs-");
  let servers: Server[] = [];

  before(async () => {
    const env = { DATA_DIR: dir.path, SECRET, RATE_LIMIT_ENABLED: "false" };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    dir.remove();
  });

  test("30 secrets, 20 racing reveals each split across both: one 200 per secret", async () => {
    const created = [];
    for (let i = 0; i < 30; i++) {
      const value = `plain-${i}-${crypto.randomUUID()}`;
      const res = await post(pick(servers, i), "/share", { secret: value });
      assert.equal(res.status, 200);
      created.push({ value, key: String(res.body.secret_key), metadataKey: String(res.body.metadata_key) });
    }
    for (const { value, key, metadataKey } of created) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, j) => post(pick(servers, j), `/secret/${key}`)),
      );
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, `one reader of ${key}`);
      assert.equal(winners[0]?.body.value, value);
      for (const loser of answers.filter((a) => a.status !== 200)) {
        assert.equal(loser.status, 404);
        assert.deepEqual(loser.body, { message: UNKNOWN, secret_key: key });
      }
      const receipt = await get(pick(servers, 1), `/private/${metadataKey}`);
      assert.equal(receipt.body.state, "received");
    }
  });

  test("reveals racing burns across both processes: one winner, and the receipt says which", async () => {
    for (let i = 0; i < 30; i++) {
      const res = await post(pick(servers, i), "/share", { secret: `plain-${i}-${crypto.randomUUID()}` });
      const key = String(res.body.secret_key);
      const metadataKey = String(res.body.metadata_key);
      // Five reveals and five burns, interleaved and spread over both processes.
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          j % 2 === 0
            ? post(pick(servers, j + i), `/secret/${key}`).then((a) => ({ ...a, op: "reveal" }))
            : post(pick(servers, j + i), `/private/${metadataKey}/burn`).then((a) => ({ ...a, op: "burn" })),
        ),
      );
      const winners = answers.filter((a) => a.status === 200);
      assert.equal(winners.length, 1, `one winner for ${key}`);
      for (const loser of answers.filter((a) => a.status !== 200)) {
        assert.equal(loser.status, 404);
        assert.equal(loser.body.message, UNKNOWN);
      }
      const state = (await get(pick(servers, i + 1), `/private/${metadataKey}`)).body.state;
      assert.equal(state, winners[0]?.op === "reveal" ? "received" : "burned");
    }
  });
});
