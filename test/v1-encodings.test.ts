// How v1 reads its input (spec §1, §5): every request encoding clients use, body over query, empty
// values as "not given", recipients, TTL clamping, the size limit and passphrase lengths.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, postForm, share, type TestApp } from "./support/helpers.js";
import {
  expectError,
  multipartBody,
  ok,
  postJson,
  readMetadata,
  reveal,
  SHARE_KEYS,
} from "./support/v1-support.js";

let t: TestApp;
let auth: { authorization: string };
before(async () => {
  t = await makeTestApp();
  auth = { authorization: (await makeAccount(t.deps)).authorization };
});
after(() => t.close());

const post = (url: string, headers: Record<string, string>, payload?: string | Buffer) =>
  t.app.inject({
    method: "POST",
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });

/** The plaintext behind a share response, read back through the reveal endpoint. */
async function plaintext(m: Record<string, unknown>, form: Record<string, string> = {}) {
  return ok(await reveal(t.app, m.secret_key as string, form)).value;
}

const BAD_PAYLOAD = { message: "Incorrect payload format" };

describe("request encodings", () => {
  test("urlencoded form: + is a space, percent-escapes and UTF-8 arrive intact", async () => {
    const res = await post(
      "/share",
      { "content-type": "application/x-www-form-urlencoded" },
      "secret=a+b%26c%3Dd%20%C3%A9&ttl=600",
    );
    const m = ok(res);
    assert.deepEqual(Object.keys(m), SHARE_KEYS);
    assert.equal(m.ttl, 600);
    assert.equal(await plaintext(m), "a b&c=d é");
  });

  test("a form body with no Content-Type header", async () => {
    const m = ok(await post("/share", {}, "secret=no+type&ttl=600&passphrase=pw"));
    assert.equal(m.ttl, 600);
    assert.equal(m.passphrase_required, true);
    assert.equal(await plaintext(m, { passphrase: "pw" }), "no type");
  });

  test("a form body under an unknown Content-Type is read as a form", async () => {
    const m = ok(await post("/share", { "content-type": "text/plain" }, "secret=plain&ttl=600"));
    assert.equal(m.ttl, 600);
    assert.equal(await plaintext(m), "plain");
  });

  test("multipart/form-data", async () => {
    const { contentType, payload } = multipartBody([
      ["secret", "line one\r\nline two"],
      ["ttl", "600"],
      ["passphrase", "pw"],
    ]);
    const m = ok(await post("/share", { "content-type": contentType }, payload));
    assert.equal(m.ttl, 600);
    assert.equal(m.passphrase_required, true);
    assert.equal(await plaintext(m, { passphrase: "pw" }), "line one\r\nline two");
  });

  test("a JSON object body, numbers as numbers or strings", async () => {
    const m = ok(await postJson(t.app, "/share", { secret: "from json", ttl: 600, passphrase: "pw" }));
    assert.equal(m.ttl, 600);
    assert.equal(m.passphrase_required, true);
    assert.equal(await plaintext(m, { passphrase: "pw" }), "from json");
    assert.equal(ok(await postJson(t.app, "/share", { secret: "x", ttl: "900" })).ttl, 900);
  });

  test("params in the query string of a POST with an empty body, with or without a Content-Type", async () => {
    const headerSets: Record<string, string>[] = [
      {},
      { "content-type": "application/json" },
      { "content-type": "application/json; charset=utf-8" },
      { "content-type": "application/x-www-form-urlencoded" },
    ];
    for (const headers of headerSets) {
      const m = ok(await post("/share?secret=from+query&ttl=600", headers));
      assert.equal(m.ttl, 600, JSON.stringify(headers));
      assert.equal(await plaintext(m), "from query");
    }
  });

  test("query and body mix; the body wins on conflict, whatever its encoding", async () => {
    const form = ok(await post("/share?secret=query&ttl=600", {}, "secret=body"));
    assert.equal(form.ttl, 600);
    assert.equal(await plaintext(form), "body");

    const json = ok(await postJson(t.app, "/share?secret=query&ttl=600", { secret: "body", ttl: 900 }));
    assert.equal(json.ttl, 900);
    assert.equal(await plaintext(json), "body");

    const { contentType, payload } = multipartBody([["secret", "body"]]);
    const multi = ok(await post("/share?secret=query&ttl=600", { "content-type": contentType }, payload));
    assert.equal(multi.ttl, 600);
    assert.equal(await plaintext(multi), "body");
  });

  test("reveal and burn read the passphrase from any encoding", async () => {
    const a = await share(t.app, { secret: "a", passphrase: "pw" });
    assert.equal(ok(await post(`/secret/${a.secret_key}?passphrase=pw`, {})).value, "a");
    const b = await share(t.app, { secret: "b", passphrase: "pw" });
    assert.equal(ok(await postJson(t.app, `/secret/${b.secret_key}`, { passphrase: "pw" })).value, "b");
    const c = await share(t.app, { secret: "c", passphrase: "pw" });
    const burned = ok(await postJson(t.app, `/private/${c.metadata_key}/burn`, { passphrase: "pw" }));
    assert.equal((burned.state as Record<string, unknown>).state, "burned");
  });

  test("malformed bodies and query strings: Incorrect payload format", async () => {
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const json = { "content-type": "application/json" };
    expectError(await post("/share", json, "{"), 400, BAD_PAYLOAD);
    expectError(await post("/share", json, '["secret"]'), 400, BAD_PAYLOAD);
    expectError(await post("/share", json, '"secret"'), 400, BAD_PAYLOAD);
    expectError(await post("/share", form, "secret=%zz"), 400, BAD_PAYLOAD);
    expectError(await post("/share", form, "secret=%C3"), 400, BAD_PAYLOAD);
    expectError(
      await post("/share", form, Buffer.from([...Buffer.from("secret="), 0xff, 0xfe])),
      400,
      BAD_PAYLOAD,
    );
    expectError(await post("/share?secret=%zz", {}), 400, BAD_PAYLOAD);
  });

  test("a malformed reveal request consumes nothing", async () => {
    const { secret_key: key } = await share(t.app, { secret: "intact" });
    expectError(await post(`/secret/${key}`, { "content-type": "application/json" }, "{"), 400, BAD_PAYLOAD);
    expectError(await post(`/secret/${key}?passphrase=%zz`, {}), 400, BAD_PAYLOAD);
    assert.equal(ok(await reveal(t.app, key)).value, "intact");
  });
});

describe("empty values mean not given", () => {
  test("ttl= and ttl=0 give the default TTL", async () => {
    for (const ttl of ["", "0"]) {
      assert.equal((await share(t.app, { secret: "x", ttl })).ttl, 604800, `ttl=${ttl}`);
    }
    assert.equal(ok(await postJson(t.app, "/share", { secret: "x", ttl: 0 })).ttl, 604800);
  });

  test("passphrase= is no passphrase", async () => {
    const m = await share(t.app, { secret: "open", passphrase: "" });
    assert.equal(m.passphrase_required, false);
    assert.equal(await plaintext(m), "open");
    const j = ok(await postJson(t.app, "/share", { secret: "open", passphrase: "" }));
    assert.equal(j.passphrase_required, false);
  });

  test("recipient= and recipient[]= are no recipient, even anonymously", async () => {
    for (const name of ["recipient", "recipient[]"]) {
      const m = await share(t.app, { secret: "x", [name]: "" });
      assert.deepEqual(m.recipient, [], name);
    }
    assert.deepEqual((await share(t.app, { secret: "x", recipient: ["", ""] })).recipient, []);
  });
});

describe("recipients", () => {
  const masked = ["fo*****@e*****.com", "ba*****@e*****.org"];
  const both = ["foo@example.com", "bar@example.org"];

  test("anonymous share or generate with a recipient needs an account", async () => {
    const needs = { message: "An account is required to send emails." };
    expectError(await postForm(t.app, "/share", { secret: "x", recipient: "a@b.co" }), 401, needs);
    expectError(await postForm(t.app, "/generate", { recipient: "a@b.co" }), 401, needs);
  });

  test("an authenticated share stores the address masked, never in clear", async () => {
    const res = await postForm(t.app, "/share", { secret: "x", recipient: "foo@example.com" }, auth);
    const m = ok(res);
    assert.deepEqual(m.recipient, ["fo*****@e*****.com"]);
    assert.ok(!res.body.includes("foo@example.com"));
    const read = await readMetadata(t.app, m.metadata_key as string);
    assert.deepEqual(ok(read).recipient, ["fo*****@e*****.com"]);
  });

  test("the address is taken from a display name; anything else is undeliverable", async () => {
    const named = await share(t.app, { secret: "x", recipient: "Bob <bob@x.io>" }, auth);
    assert.deepEqual(named.recipient, ["bo*****@x*****.io"]);
    const bad = await postForm(t.app, "/share", { secret: "x", recipient: "not-an-email" }, auth);
    expectError(bad, 400, { message: "Undeliverable email address: not-an-email" });
  });

  test("recipient repeated, recipient[] repeated, or both mixed", async () => {
    assert.deepEqual((await share(t.app, { secret: "x", recipient: both }, auth)).recipient, masked);
    assert.deepEqual((await share(t.app, { secret: "x", "recipient[]": both }, auth)).recipient, masked);
    const mixed = await share(
      t.app,
      { secret: "x", recipient: both[0] as string, "recipient[]": both[1] as string },
      auth,
    );
    assert.deepEqual(mixed.recipient, masked);
  });

  test("repeated multipart fields and a JSON array", async () => {
    const { contentType, payload } = multipartBody([
      ["secret", "x"],
      ["recipient", "foo@example.com"],
      ["recipient", "bar@example.org"],
    ]);
    const multi = ok(await post("/share", { "content-type": contentType, ...auth }, payload));
    assert.deepEqual(multi.recipient, masked);
    const json = ok(await postJson(t.app, "/share", { secret: "x", recipient: both }, auth));
    assert.deepEqual(json.recipient, masked);
  });

  test("one undeliverable address refuses the whole share", async () => {
    const res = await postForm(
      t.app,
      "/share",
      { secret: "x", recipient: [both[0] as string, "nope"] },
      auth,
    );
    expectError(res, 400, { message: "Undeliverable email address: nope" });
  });
});

describe("ttl", () => {
  test("no ttl: 7 days, metadata twice as long, counted from a fixed clock", async () => {
    const clock = manualClock(t);
    try {
      const m = await share(t.app, { secret: "x" });
      assert.equal(m.ttl, 604800);
      assert.equal(m.secret_ttl, 604800);
      assert.equal(m.metadata_ttl, 1209600);
      assert.equal(m.created, clock.seconds);
      const explicit = await share(t.app, { secret: "x", ttl: "3600" });
      assert.deepEqual([explicit.ttl, explicit.secret_ttl, explicit.metadata_ttl], [3600, 3600, 7200]);
    } finally {
      t.deps.now = Date.now;
    }
  });

  test("clamped, never rejected", async () => {
    const anonymous: [string, number][] = [
      ["10", 60],
      ["59", 60],
      ["60", 60],
      ["-5", 60],
      ["abc", 60],
      ["600abc", 600],
      ["604800", 604800],
      ["99999999", 604800],
      ["9".repeat(400), 604800],
    ];
    for (const [ttl, expected] of anonymous) {
      const m = await share(t.app, { secret: "x", ttl });
      assert.equal(m.ttl, expected, `ttl=${ttl}`);
      assert.ok(Number.isInteger(m.metadata_ttl) && (m.metadata_ttl as number) <= 2 * expected);
      assert.ok((m.metadata_ttl as number) >= 2 * expected - 1);
    }
  });

  test("authenticated callers may go up to 30 days", async () => {
    assert.equal((await share(t.app, { secret: "x", ttl: "99999999" }, auth)).ttl, 2592000);
    assert.equal((await share(t.app, { secret: "x", ttl: "1209600" }, auth)).ttl, 1209600);
    assert.equal((await share(t.app, { secret: "x", ttl: "10" }, auth)).ttl, 60);
  });

  test("generate follows the same rules", async () => {
    assert.equal(ok(await postForm(t.app, "/generate", { ttl: "10" })).ttl, 60);
    assert.equal(ok(await postForm(t.app, "/generate", { ttl: "99999999" })).ttl, 604800);
    assert.equal(ok(await postForm(t.app, "/generate", {})).ttl, 604800);
  });
});

describe("size limit", () => {
  const tooLarge = { message: "Secret value exceeds the maximum size of 10000 bytes" };

  test("10000 bytes are accepted whole; 10001 are refused", async () => {
    const m = await share(t.app, { secret: "a".repeat(10000) });
    assert.equal(await plaintext(m), "a".repeat(10000));
    expectError(await postForm(t.app, "/share", { secret: "a".repeat(10001) }), 413, tooLarge);
  });

  test("the limit counts UTF-8 bytes, not characters", async () => {
    assert.equal(await plaintext(await share(t.app, { secret: "é".repeat(5000) })), "é".repeat(5000));
    assert.equal(await plaintext(await share(t.app, { secret: "😀".repeat(2500) })), "😀".repeat(2500));
    expectError(await postForm(t.app, "/share", { secret: `${"é".repeat(5000)}a` }), 413, tooLarge);
    expectError(await postForm(t.app, "/share", { secret: "€".repeat(3334) }), 413, tooLarge);
  });

  test("in every encoding", async () => {
    expectError(await postJson(t.app, "/share", { secret: "a".repeat(10001) }), 413, tooLarge);
    const { contentType, payload } = multipartBody([["secret", "a".repeat(10001)]]);
    expectError(await post("/share", { "content-type": contentType }, payload), 413, tooLarge);
  });

  test("the message names the configured limit", async () => {
    const small = await makeTestApp({ SECRET_MAX_LENGTH: "100" });
    try {
      ok(await postForm(small.app, "/share", { secret: "a".repeat(100) }));
      const res = await postForm(small.app, "/share", { secret: "a".repeat(101) });
      expectError(res, 413, { message: "Secret value exceeds the maximum size of 100 bytes" });
    } finally {
      await small.close();
    }
  });
});

describe("passphrase length", () => {
  test("no minimum by default; at most 128 characters", async () => {
    assert.equal((await share(t.app, { secret: "x", passphrase: "p" })).passphrase_required, true);
    const longest = await share(t.app, { secret: "x", passphrase: "p".repeat(128) });
    assert.equal(await plaintext(longest, { passphrase: "p".repeat(128) }), "x");
    const res = await postForm(t.app, "/share", { secret: "x", passphrase: "p".repeat(129) });
    expectError(res, 400, { message: "Passphrase must be no more than 128 characters long" });
  });

  test("PASSPHRASE_MIN_LENGTH sets a minimum, counted in characters", async () => {
    const strict = await makeTestApp({ PASSPHRASE_MIN_LENGTH: "8" });
    try {
      const short = { message: "Passphrase must be at least 8 characters long" };
      expectError(await postForm(strict.app, "/share", { secret: "x", passphrase: "1234567" }), 400, short);
      expectError(await postForm(strict.app, "/generate", { passphrase: "1234567" }), 400, short);
      ok(await postForm(strict.app, "/share", { secret: "x", passphrase: "12345678" }));
      ok(await postForm(strict.app, "/share", { secret: "x", passphrase: "éééééééé" }));
      // An empty passphrase is no passphrase, which the minimum does not forbid.
      assert.equal(
        ok(await postForm(strict.app, "/share", { secret: "x", passphrase: "" })).passphrase_required,
        false,
      );
    } finally {
      await strict.close();
    }
  });

  test("PASSPHRASE_REQUIRED refuses secrets without one", async () => {
    const required = await makeTestApp({ PASSPHRASE_REQUIRED: "true" });
    try {
      const res = await postForm(required.app, "/share", { secret: "x" });
      expectError(res, 400, { message: "A passphrase is required for all secrets" });
      ok(await postForm(required.app, "/share", { secret: "x", passphrase: "pw" }));
    } finally {
      await required.close();
    }
  });
});
