// The metadata lifecycle on the v1 wire (spec §4, §5): new → viewed → received | burned | expired |
// orphaned, what each state shows, burn with a passphrase, and failures that must consume nothing.
// The clock is the app's own (`deps.now`), moved by hand; the orphan is made by deleting the secret
// row behind the server's back, as data loss would.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, afterEach, before, beforeEach, describe, test } from "node:test";
import Database from "better-sqlite3";
import { manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import {
  assertKeys,
  assertMetadataTypes,
  expectError,
  expectUnknown,
  GONE_KEYS,
  ok,
  RECEIVED_KEYS,
  RECENT_KEYS,
  readMetadata,
  reveal,
  SHARE_KEYS,
} from "./support/v1-support.js";

let t: TestApp;
let clock: ReturnType<typeof manualClock>;
before(async () => {
  t = await makeTestApp();
});
after(() => t.close());
beforeEach(() => {
  clock = manualClock(t);
});
afterEach(() => {
  t.deps.now = Date.now;
});

const metadata = async (key: string) => ok(await readMetadata(t.app, key));
const burn = (key: string, form: Record<string, string> = {}) =>
  postForm(t.app, `/private/${key}/burn`, form);
const DOUBLE_CHECK = { message: "Double check that passphrase" };

function sql(statement: string, ...params: unknown[]): void {
  const db = new Database(join(t.dataDir, "onetime.db"));
  try {
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

describe("new and viewed", () => {
  test("the first metadata read moves new to viewed, and already says so", async () => {
    const created = await share(t.app, { secret: "x", ttl: "3600" });
    assert.equal(created.state, "new");
    clock.advance(100);
    const first = await metadata(created.metadata_key);
    assert.deepEqual(Object.keys(first), SHARE_KEYS);
    assertMetadataTypes(first);
    assert.equal(first.state, "viewed");
    assert.equal(first.secret_key, created.secret_key);
    assert.equal(first.updated, clock.seconds);
    assert.equal(first.created, created.created);
    assert.deepEqual([first.ttl, first.secret_ttl, first.metadata_ttl], [3600, 3500, 7100]);
    assert.equal(first.passphrase_required, false);
    clock.advance(100);
    const second = await metadata(created.metadata_key);
    assert.equal(second.state, "viewed");
    assert.equal(second.updated, first.updated);
    assert.deepEqual([second.secret_ttl, second.metadata_ttl], [3400, 7000]);
  });

  test("generate answers new but leaves the metadata viewed, without the value", async () => {
    const res = await postForm(t.app, "/generate", { ttl: "3600" });
    const generated = ok(res);
    assert.equal(generated.state, "new");
    const read = await readMetadata(t.app, generated.metadata_key as string);
    const m = ok(read);
    assert.deepEqual(Object.keys(m), SHARE_KEYS);
    assert.equal(m.state, "viewed");
    assert.ok(!read.body.includes(generated.value as string));
  });

  test("metadata never echoes the plaintext, on any read", async () => {
    const plaintext = "do-not-echo-this-plaintext";
    const alice = await makeAccount(t.deps, "plain@example.com");
    const created = await share(t.app, { secret: plaintext }, { authorization: alice.authorization });
    for (const prefix of ["private", "metadata", "receipt"]) {
      for (const method of ["GET", "POST"]) {
        const res = await readMetadata(t.app, created.metadata_key, { prefix, method });
        assert.ok(!("value" in ok(res)));
        assert.ok(!res.body.includes(plaintext));
      }
    }
    const recent = await t.app.inject({
      method: "GET",
      url: "/api/v1/private/recent",
      headers: { authorization: alice.authorization },
    });
    assert.ok(!recent.body.includes(plaintext));
    const burned = await burn(created.metadata_key);
    assert.ok(!("value" in (ok(burned).state as object)));
    assert.ok(!burned.body.includes(plaintext));
  });
});

describe("received", () => {
  test("after a reveal: received timestamp, no secret_key, no secret_ttl, metadata TTL not reset", async () => {
    const created = await share(t.app, { secret: "x", ttl: "3600" });
    clock.advance(1000);
    ok(await reveal(t.app, created.secret_key));
    const revealedAt = clock.seconds;
    clock.advance(10);
    const m = await metadata(created.metadata_key);
    assertKeys(m, RECEIVED_KEYS);
    assertMetadataTypes(m);
    assert.equal(m.state, "received");
    assert.equal(m.received, revealedAt);
    assert.equal(m.ttl, 3600);
    assert.equal(m.metadata_ttl, 7200 - 1010);
  });

  test("received is terminal: no burn, no second reveal, not expired by the secret's TTL", async () => {
    const created = await share(t.app, { secret: "x", ttl: "60" });
    ok(await reveal(t.app, created.secret_key));
    expectUnknown(await burn(created.metadata_key), created.metadata_key);
    expectUnknown(await reveal(t.app, created.secret_key), created.secret_key);
    clock.advance(90);
    assert.equal((await metadata(created.metadata_key)).state, "received");
    clock.advance(31);
    expectUnknown(await readMetadata(t.app, created.metadata_key), created.metadata_key);
  });
});

describe("burned", () => {
  test("metadata after a burn: secret_key empty, secret_ttl null; it stays burned", async () => {
    const created = await share(t.app, { secret: "x", ttl: "60" });
    ok(await burn(created.metadata_key));
    const m = await metadata(created.metadata_key);
    assertKeys(m, GONE_KEYS);
    assertMetadataTypes(m);
    assert.deepEqual([m.state, m.secret_key, m.secret_ttl], ["burned", "", null]);
    clock.advance(61);
    assert.equal((await metadata(created.metadata_key)).state, "burned");
  });

  test("a passphrase secret: missing or wrong passphrase refuses the burn and the secret survives", async () => {
    const created = await share(t.app, { secret: "guarded", passphrase: "right one" });
    expectError(await burn(created.metadata_key), 403, DOUBLE_CHECK);
    expectError(await burn(created.metadata_key, { passphrase: "wrong one" }), 403, DOUBLE_CHECK);
    const m = await metadata(created.metadata_key);
    assert.equal(m.state, "viewed");
    assert.equal(m.passphrase_required, true);
    const burned = ok(await burn(created.metadata_key, { passphrase: "right one" }));
    assert.equal((burned.state as Record<string, unknown>).state, "burned");
    assert.equal(burned.secret_shortkey, created.secret_key.slice(0, 6));
    expectUnknown(await reveal(t.app, created.secret_key, { passphrase: "right one" }), created.secret_key);
  });

  test("a refused burn leaves the secret readable", async () => {
    const created = await share(t.app, { secret: "guarded", passphrase: "right one" });
    expectError(await burn(created.metadata_key, { passphrase: "nope" }), 403, DOUBLE_CHECK);
    assert.equal(ok(await reveal(t.app, created.secret_key, { passphrase: "right one" })).value, "guarded");
  });

  test("reveal and burn racing: exactly one wins", async () => {
    const created = await share(t.app, { secret: "x" });
    const [revealed, burned] = await Promise.all([
      reveal(t.app, created.secret_key),
      burn(created.metadata_key),
    ]);
    assert.equal([revealed, burned].filter((r) => r.statusCode === 200).length, 1);
    const state = (await metadata(created.metadata_key)).state;
    assert.equal(state, revealed.statusCode === 200 ? "received" : "burned");
  });
});

describe("expired and orphaned", () => {
  for (const readFirst of [false, true]) {
    test(`the secret's TTL passes (metadata ${readFirst ? "viewed" : "new"}): expired`, async () => {
      const created = await share(t.app, { secret: "x", ttl: "60" });
      if (readFirst) await metadata(created.metadata_key);
      clock.advance(61);
      const m = await metadata(created.metadata_key);
      assertKeys(m, GONE_KEYS);
      assertMetadataTypes(m);
      assert.deepEqual([m.state, m.secret_key, m.secret_ttl, m.metadata_ttl], ["expired", "", null, 59]);
      expectUnknown(await reveal(t.app, created.secret_key), created.secret_key);
      expectUnknown(await burn(created.metadata_key), created.metadata_key);
      assert.equal((await metadata(created.metadata_key)).state, "expired");
      clock.advance(60);
      expectUnknown(await readMetadata(t.app, created.metadata_key), created.metadata_key);
    });
  }

  test("the secret vanishes before its TTL: orphaned, and it stays orphaned", async () => {
    const created = await share(t.app, { secret: "x", ttl: "60" });
    sql("DELETE FROM secrets WHERE id = ?", t.deps.vault.secretId(created.secret_key));
    const m = await metadata(created.metadata_key);
    assertKeys(m, GONE_KEYS);
    assertMetadataTypes(m);
    assert.deepEqual([m.state, m.secret_key, m.secret_ttl], ["orphaned", "", null]);
    clock.advance(61);
    assert.equal((await metadata(created.metadata_key)).state, "orphaned");
  });

  test("recent reports each item's state, an item past its TTL as expired", async () => {
    const bob = await makeAccount(t.deps, "bob@example.com");
    const auth = { authorization: bob.authorization };
    const read = await share(t.app, { secret: "x", ttl: "60" }, auth);
    clock.advance(1);
    const lapsed = await share(t.app, { secret: "x", ttl: "60" }, auth);
    clock.advance(1);
    const live = await share(t.app, { secret: "x", ttl: "3600" }, auth);
    ok(await reveal(t.app, read.secret_key));
    clock.advance(61);
    const res = await t.app.inject({ method: "GET", url: "/api/v1/private/recent", headers: auth });
    const items = ok(res) as unknown as Record<string, unknown>[];
    assert.deepEqual(
      items.map((m) => [m.metadata_key, m.state]),
      [
        [live.metadata_key, "new"],
        [lapsed.metadata_key, "expired"],
        [read.metadata_key, "received"],
      ],
    );
    assertKeys(items[0], RECENT_KEYS);
    assertKeys(items[1], RECENT_KEYS);
    assertKeys(items[2], [...RECENT_KEYS, "received"]);
    for (const m of items) assertMetadataTypes(m);
  });
});

describe("failures that consume nothing", () => {
  test("rate limited", async () => {
    const limited = await makeTestApp({ RATE_LIMIT_CREATE: "2" });
    try {
      ok(await postForm(limited.app, "/share", { secret: "1" }));
      ok(await postForm(limited.app, "/generate", {}));
      const res = await postForm(limited.app, "/share", { secret: "3" });
      expectError(res, 429, { message: "Cripes! You have been rate limited." });
    } finally {
      await limited.close();
    }
  });

  test("too many wrong passphrases lock the secret for a while, without consuming it", async () => {
    const created = await share(t.app, { secret: "locked", passphrase: "right" });
    for (let i = 0; i < 5; i++) {
      expectUnknown(
        await reveal(t.app, created.secret_key, { passphrase: `wrong ${i}` }),
        created.secret_key,
      );
    }
    const locked = await reveal(t.app, created.secret_key, { passphrase: "right" });
    expectError(locked, 429, { message: "Cripes! You have been rate limited." });
    clock.advance(1801);
    assert.equal(ok(await reveal(t.app, created.secret_key, { passphrase: "right" })).value, "locked");
  });

  test("store unavailable", async () => {
    const down = await makeTestApp();
    try {
      const created = await share(down.app, { secret: "x" });
      await down.deps.store.close();
      const unavailable = { message: "We'll be back shortly!" };
      expectError(await reveal(down.app, created.secret_key), 503, unavailable);
      expectError(await postForm(down.app, "/share", { secret: "x" }), 503, unavailable);
      expectError(await down.app.inject({ method: "GET", url: "/api/v1/status" }), 503, unavailable);
    } finally {
      await down.close();
    }
  });

  test("an unexpected failure answers generically", async () => {
    const created = await share(t.app, { secret: "x" });
    // A damaged record: the sealed secret key no longer opens with the metadata key.
    sql(
      "UPDATE receipts SET sealed_secret_key = randomblob(64) WHERE id = ?",
      t.deps.vault.receiptId(created.metadata_key),
    );
    const res = await burn(created.metadata_key);
    expectError(res, 500, { message: "An unexpected error occurred :[" });
  });
});
