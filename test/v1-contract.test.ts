// The v1 wire contract (docs/api-v1.md, spec §2–§4): every endpoint and alias, exact keys, JSON
// types, status codes and messages. Encodings and input rules are in v1-encodings.test.ts; the
// metadata lifecycle in v1-states.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { issueToken } from "../src/actions/issue-token.js";
import { manualClock } from "./support/clock.js";
import { basic, makeAccount, makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import {
  assertKeys,
  assertMetadataTypes,
  expectError,
  expectNotAuthorized,
  expectNotFound,
  expectUnknown,
  GONE_KEYS,
  JSON_UTF8,
  KEY,
  ok,
  RECENT_KEYS,
  readMetadata,
  reveal,
  SHARE_KEYS,
} from "./support/v1-support.js";

const PREFIXES = ["private", "metadata", "receipt"];

let t: TestApp;
let alice: Awaited<ReturnType<typeof makeAccount>>;
before(async () => {
  t = await makeTestApp();
  alice = await makeAccount(t.deps, "alice@example.com");
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: "GET", url: `/api/v1${url}`, headers });

describe("status and authcheck", () => {
  test("status answers anonymously and with valid credentials", async () => {
    assert.deepEqual(ok(await get("/status")), { status: "nominal", locale: "en" });
    assert.deepEqual(ok(await get("/status", { authorization: alice.authorization })), {
      status: "nominal",
      locale: "en",
    });
  });

  test("authcheck needs valid credentials", async () => {
    expectNotAuthorized(await get("/authcheck"));
    expectNotAuthorized(await get("/authcheck", { authorization: basic(alice.email, "wrong") }));
    expectNotAuthorized(await get("/authcheck", { authorization: basic("nobody@example.com", "x") }));
    assert.deepEqual(ok(await get("/authcheck", { authorization: alice.authorization })), {
      status: "nominal",
      locale: "en",
    });
  });

  test("status honours a supported locale and falls back to the default", async () => {
    assert.equal(ok(await get("/status", { "accept-language": "fr-CA,fr;q=0.9" })).locale, "fr");
    assert.equal(ok(await get("/status", { "accept-language": "de" })).locale, "de");
    assert.equal(ok(await get("/status", { "accept-language": "fi" })).locale, "en");
    assert.equal(ok(await get("/status?locale=fr", { "accept-language": "en" })).locale, "fr");
    assert.equal(ok(await get("/status?locale=xx")).locale, "en");
  });
});

describe("authentication", () => {
  const wrongs = () => [
    basic(alice.email, "not-the-token"),
    basic("nobody@example.com", alice.token),
    basic(alice.email, ""),
    `Bearer ${alice.token}`,
    "Basic !!!not-base64!!!",
    `Basic ${Buffer.from(alice.email).toString("base64")}`,
  ];

  test("wrong or non-Basic credentials are refused on status, never treated as anonymous", async () => {
    for (const authorization of wrongs()) expectNotAuthorized(await get("/status", { authorization }));
  });

  test("wrong credentials are refused on every endpoint, and nothing is consumed", async () => {
    const created = await share(t.app, { secret: "kept" });
    const authorization = basic(alice.email, "not-the-token");
    expectNotAuthorized(await postForm(t.app, "/share", { secret: "x" }, { authorization }));
    expectNotAuthorized(await postForm(t.app, "/create", { secret: "x" }, { authorization }));
    expectNotAuthorized(await postForm(t.app, "/generate", {}, { authorization }));
    expectNotAuthorized(await reveal(t.app, created.secret_key, {}, { authorization }));
    expectNotAuthorized(await postForm(t.app, `/private/${created.metadata_key}`, {}, { authorization }));
    expectNotAuthorized(await get(`/receipt/${created.metadata_key}`, { authorization }));
    expectNotAuthorized(
      await postForm(t.app, `/private/${created.metadata_key}/burn`, {}, { authorization }),
    );
    expectNotAuthorized(await get("/private/recent", { authorization }));
    // Refused before any look-up: nothing was burned or revealed.
    assert.equal(ok(await readMetadata(t.app, created.metadata_key)).state, "viewed");
    assert.equal(ok(await reveal(t.app, created.secret_key)).value, "kept");
  });

  test("the account's email is the user name, case-insensitively; a new token replaces the old", async () => {
    const bob = await makeAccount(t.deps, "bob@example.com");
    ok(await get("/authcheck", { authorization: basic("Bob@Example.COM", bob.token) }));
    const fresh = await issueToken(t.deps, bob.email);
    expectNotAuthorized(await get("/authcheck", { authorization: bob.authorization }));
    ok(await get("/authcheck", { authorization: basic(bob.email, fresh) }));
  });

  test("with AUTH_ENABLED=false, credentials make any endpoint unavailable; anonymous works", async () => {
    const off = await makeTestApp({ AUTH_ENABLED: "false" });
    try {
      const authorization = basic("alice@example.com", "token");
      const status = await off.app.inject({
        method: "GET",
        url: "/api/v1/status",
        headers: { authorization },
      });
      expectError(status, 404, { message: "/api/v1/status is not available" });
      const shared = await postForm(off.app, "/share?ttl=60", { secret: "x" }, { authorization });
      expectError(shared, 404, { message: "/api/v1/share is not available" });
      ok(await off.app.inject({ method: "GET", url: "/api/v1/status" }));
      ok(await postForm(off.app, "/share", { secret: "x" }));
    } finally {
      await off.close();
    }
  });
});

describe("share and create", () => {
  test("anonymous share: exact keys in order, JSON types, custid anon, state new", async () => {
    const res = await postForm(t.app, "/share", { secret: "abc", ttl: "3600" });
    const m = ok(res);
    assert.deepEqual(Object.keys(m), SHARE_KEYS);
    assertMetadataTypes(m);
    assert.equal(m.custid, "anon");
    assert.equal(m.state, "new");
    assert.equal(m.ttl, 3600);
    assert.ok((m.secret_ttl as number) >= 3599 && (m.secret_ttl as number) <= 3600);
    assert.ok((m.metadata_ttl as number) >= 7199 && (m.metadata_ttl as number) <= 7200);
    assert.equal(m.created, m.updated);
    assert.deepEqual(m.recipient, []);
    assert.equal(m.share_domain, "");
    assert.equal(m.passphrase_required, false);
    assert.equal(res.headers["cache-control"], "no-store");
    assert.ok(!("success" in m) && !("data" in m));
  });

  test("keys are 31 characters of [0-9a-z] and all distinct", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const m = await share(t.app, { secret: `s${i}` });
      assert.match(m.secret_key, KEY);
      assert.match(m.metadata_key, KEY);
      seen.add(m.secret_key).add(m.metadata_key);
    }
    assert.equal(seen.size, 40);
  });

  test("authenticated share: custid is the account email", async () => {
    const m = ok(await postForm(t.app, "/share", { secret: "x" }, { authorization: alice.authorization }));
    assert.equal(m.custid, alice.email);
  });

  test("with a passphrase, passphrase_required is true", async () => {
    const m = ok(await postForm(t.app, "/share", { secret: "x", passphrase: "p" }));
    assert.equal(m.passphrase_required, true);
  });

  test("missing or empty secret: nothing to share", async () => {
    const nothing = { message: "You did not provide anything to share" };
    expectError(await postForm(t.app, "/share", {}), 400, nothing);
    expectError(await postForm(t.app, "/share", { secret: "" }), 400, nothing);
    expectError(await postForm(t.app, "/create", { ttl: "60" }), 400, nothing);
  });

  test("/create is an alias of /share with flat params", async () => {
    const res = await postForm(t.app, "/create", { secret: "via create", ttl: "600", passphrase: "pw" });
    const m = ok(res);
    assert.deepEqual(Object.keys(m), SHARE_KEYS);
    assert.equal(m.ttl, 600);
    assert.equal(m.passphrase_required, true);
    assert.equal(ok(await reveal(t.app, m.secret_key as string, { passphrase: "pw" })).value, "via create");
  });
});

describe("generate", () => {
  test("a 12-character password from every class, without ambiguous characters", async () => {
    for (let i = 0; i < 25; i++) {
      const m = ok(await postForm(t.app, "/generate", { ttl: "600" }));
      const value = m.value as string;
      assert.equal([...value].length, 12);
      assert.doesNotMatch(value, /[ilo1IO0]/);
      assert.match(value, /[A-Z]/);
      assert.match(value, /[a-z]/);
      assert.match(value, /[0-9]/);
      assert.match(value, /[^A-Za-z0-9]/);
    }
  });

  test("response: share keys plus value, state new; a supplied secret is ignored", async () => {
    const m = ok(await postForm(t.app, "/generate", { secret: "my own text", ttl: "600" }));
    assertKeys(m, [...SHARE_KEYS, "value"]);
    assertMetadataTypes(m);
    assert.equal(m.state, "new");
    assert.equal(m.ttl, 600);
    assert.equal(m.passphrase_required, false);
    assert.notEqual(m.value, "my own text");
    assert.equal(ok(await reveal(t.app, m.secret_key as string)).value, m.value);
  });

  test("generate with a passphrase and an account", async () => {
    const res = await postForm(
      t.app,
      "/generate",
      { passphrase: "pw" },
      { authorization: alice.authorization },
    );
    const m = ok(res);
    assert.equal(m.custid, alice.email);
    assert.equal(m.passphrase_required, true);
    expectUnknown(await reveal(t.app, m.secret_key as string), m.secret_key as string);
    assert.equal(ok(await reveal(t.app, m.secret_key as string, { passphrase: "pw" })).value, m.value);
  });
});

describe("reveal", () => {
  test("returns value, secret_key and the link's scheme and host, exactly once", async () => {
    const created = await share(t.app, { secret: "once only" });
    const res = await reveal(t.app, created.secret_key);
    assert.deepEqual(ok(res), {
      value: "once only",
      secret_key: created.secret_key,
      share_domain: "http://localhost:3000",
    });
    expectUnknown(await reveal(t.app, created.secret_key), created.secret_key);
  });

  test("unknown keys of any shape answer Unknown secret with the key from the URL", async () => {
    for (const key of [
      "0123456789abcdefghijklmnopqrstu",
      "abc",
      "ABCdef123",
      "x".repeat(128),
      "x".repeat(129),
    ]) {
      expectUnknown(await reveal(t.app, key), key);
    }
    expectUnknown(await reveal(t.app, "not-a-key"), "not-a-key");
  });

  test("a passphrase secret: missing or wrong passphrase is Unknown secret and consumes nothing", async () => {
    const { secret_key: key } = await share(t.app, { secret: "guarded", passphrase: "open sesame" });
    expectUnknown(await reveal(t.app, key), key);
    expectUnknown(await reveal(t.app, key, { passphrase: "open says me" }), key);
    assert.equal(ok(await reveal(t.app, key, { passphrase: "open sesame" })).value, "guarded");
    expectUnknown(await reveal(t.app, key, { passphrase: "open sesame" }), key);
  });

  test("concurrent reveals: exactly one caller gets the value", async () => {
    const { secret_key: key } = await share(t.app, { secret: "raced" });
    const answers = await Promise.all(Array.from({ length: 8 }, () => reveal(t.app, key)));
    const winners = answers.filter((r) => r.statusCode === 200);
    assert.equal(winners.length, 1);
    assert.equal(winners[0]?.json().value, "raced");
    for (const r of answers.filter((a) => a.statusCode !== 200)) expectUnknown(r, key);
  });

  test("a custom share domain is kept only when the operator allows it", async () => {
    const custom = await makeTestApp({ SHARE_DOMAINS: "secrets.example.org" });
    try {
      const allowed = await share(custom.app, { secret: "x", share_domain: "Secrets.Example.org" });
      assert.equal(allowed.share_domain, "secrets.example.org");
      assert.equal(
        ok(await reveal(custom.app, allowed.secret_key)).share_domain,
        "http://secrets.example.org",
      );
      assert.equal((await share(custom.app, { secret: "x", share_domain: "evil.example" })).share_domain, "");
      assert.equal(
        (await share(custom.app, { secret: "x", share_domain: "localhost:3000" })).share_domain,
        "",
      );
      // v1's spec is normative: where v2 and the pages refuse an unlisted domain (422), v1 still
      // creates the secret on the site's own host, on share and on generate alike.
      const generated = ok(await postForm(custom.app, "/generate", { share_domain: "evil.example" }));
      assert.equal(generated.share_domain, "");
    } finally {
      await custom.close();
    }
  });
});

describe("metadata, burn and recent on every prefix", () => {
  for (const prefix of PREFIXES) {
    test(`GET and POST /${prefix}/:key return the same metadata object`, async () => {
      const created = await share(t.app, { secret: "x", ttl: "600" });
      const viaGet = ok(await readMetadata(t.app, created.metadata_key, { prefix }));
      const viaPost = ok(await readMetadata(t.app, created.metadata_key, { prefix, method: "POST" }));
      for (const m of [viaGet, viaPost]) {
        assert.deepEqual(Object.keys(m), SHARE_KEYS);
        assertMetadataTypes(m);
        assert.equal(m.metadata_key, created.metadata_key);
        assert.equal(m.secret_key, created.secret_key);
      }
      expectUnknown(await readMetadata(t.app, created.secret_key, { prefix }), created.secret_key);
    });

    test(`POST /${prefix}/:key/burn burns the secret`, async () => {
      const created = await share(t.app, { secret: "to burn", ttl: "600" });
      const res = await postForm(t.app, `/${prefix}/${created.metadata_key}/burn`);
      const body = ok(res);
      assert.deepEqual(Object.keys(body), ["state", "secret_shortkey"]);
      assert.equal(body.secret_shortkey, created.secret_key.slice(0, 6));
      const state = body.state as Record<string, unknown>;
      assertKeys(state, GONE_KEYS);
      assertMetadataTypes(state);
      assert.equal(state.state, "burned");
      assert.equal(state.secret_key, "");
      assert.equal(state.secret_ttl, null);
      assert.equal(state.metadata_key, created.metadata_key);
      expectUnknown(await reveal(t.app, created.secret_key), created.secret_key);
      const again = await postForm(t.app, `/${prefix}/${created.metadata_key}/burn`);
      expectUnknown(again, created.metadata_key);
    });

    for (const method of ["GET", "POST"] as const) {
      test(`${method} /${prefix}/recent is the account's list, never a key`, async () => {
        const res = await t.app.inject({ method, url: `/api/v1/${prefix}/recent` });
        expectNotAuthorized(res);
        const auth = { authorization: alice.authorization };
        const list = await t.app.inject({ method, url: `/api/v1/${prefix}/recent`, headers: auth });
        assert.ok(Array.isArray(ok(list)));
      });
    }
  }

  test("burn of an unknown metadata key", async () => {
    const key = "0123456789abcdefghijklmnopqrstu";
    expectUnknown(await postForm(t.app, `/private/${key}/burn`), key);
  });
});

describe("recent", () => {
  test("an account with no secrets gets []", async () => {
    const carol = await makeAccount(t.deps, "carol@example.com");
    const res = await get("/private/recent", { authorization: carol.authorization });
    assert.deepEqual(ok(res), []);
  });

  test("newest first, only this account's items, without secret_key, secret_ttl null", async () => {
    const dave = await makeAccount(t.deps, "dave@example.com");
    const erin = await makeAccount(t.deps, "erin@example.com");
    const clock = manualClock(t);
    try {
      const mine: string[] = [];
      for (const secret of ["first", "second", "third"]) {
        clock.advance(1);
        mine.push((await share(t.app, { secret }, { authorization: dave.authorization })).metadata_key);
        await share(t.app, { secret: "erin's" }, { authorization: erin.authorization });
        await share(t.app, { secret: "anonymous" });
      }
      const list = ok(await get("/metadata/recent", { authorization: dave.authorization })) as unknown;
      assert.ok(Array.isArray(list));
      const items = list as Record<string, unknown>[];
      assert.deepEqual(
        items.map((m) => m.metadata_key),
        [...mine].reverse(),
      );
      for (const m of items) {
        assertKeys(m, RECENT_KEYS);
        assertMetadataTypes(m);
        assert.equal(m.custid, dave.email);
        assert.equal(m.secret_ttl, null);
        assert.equal(m.state, "new");
      }
      const viaPost = await t.app.inject({
        method: "POST",
        url: "/api/v1/receipt/recent",
        headers: { authorization: dave.authorization },
      });
      assert.deepEqual(ok(viaPost), items);
    } finally {
      t.deps.now = Date.now;
    }
  });
});

describe("routing", () => {
  test("wrong methods and unknown paths answer {error: Not Found}", async () => {
    const key = "0123456789abcdefghijklmnopqrstu";
    const cases: [string, string][] = [
      ["GET", "/api/v1/share"],
      ["GET", "/api/v1/create"],
      ["GET", "/api/v1/generate"],
      ["POST", "/api/v1/status"],
      ["POST", "/api/v1/authcheck"],
      ["GET", `/api/v1/private/${key}/burn`],
      ["PUT", `/api/v1/private/${key}`],
      ["DELETE", `/api/v1/metadata/${key}`],
      ["POST", "/api/v1/secret"],
      ["POST", "/api/v1/nothing-here"],
      ["GET", "/api/v1"],
      ["GET", "/api/v3/status"],
    ];
    for (const [method, url] of cases) {
      const res = await t.app.inject({ method: method as "GET", url });
      assert.equal(res.headers["content-type"], JSON_UTF8, `${method} ${url}`);
      expectNotFound(res);
    }
  });

  test("GET /secret/:key is not routed and consumes nothing", async () => {
    const created = await share(t.app, { secret: "still here" });
    expectNotFound(await get(`/secret/${created.secret_key}`));
    assert.equal(ok(await reveal(t.app, created.secret_key)).value, "still here");
  });
});
