// API v2 (docs/api-v2.md) over a real loopback socket: every route and alias, both auth schemes and
// anonymous, the look that consumes nothing, and the one 404 for unknown, read, burned and expired.
// Every answer is checked against the OpenAPI document the server serves. Error statuses:
// v2-errors.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { issueToken } from "../src/actions/issue-token.js";
import { availableLocales } from "../src/i18n/catalogues.js";
import { type ManualClock, manualClock } from "./support/clock.js";
import { makeAccount, makeTestApp, type TestApp } from "./support/helpers.js";
import {
  bearer,
  type ContractChecker,
  checkerFor,
  type Json,
  NOT_FOUND_BODY,
  v2Client,
} from "./support/v2-support.js";

let t: TestApp;
let clock: ManualClock;
let checker: ContractChecker;
let call: ReturnType<typeof v2Client>;
let alice: Awaited<ReturnType<typeof makeAccount>>;

before(async () => {
  // The auth test sends some twenty wrong credentials; the failed-auth lock has its own test.
  t = await makeTestApp({ RATE_LIMIT_AUTH_FAILURES: "1000" });
  clock = manualClock(t);
  alice = await makeAccount(t.deps, "alice@example.com");
  checker = await checkerFor(t.app);
  call = v2Client(t.app, checker);
});
after(() => t.close());

const record = (answer: { body: Json }) => answer.body.record as Json;
const receiptState = async (key: unknown) => record(await call("GET", `/receipt/${key}`)).state;

async function conceal(secret: Json, headers: Record<string, string> = {}) {
  const res = await call("POST", "/secret/conceal", { json: { secret }, headers });
  assert.equal(res.status, 200, res.raw);
  const r = record(res);
  return { res, receipt: r.receipt as Json, secret: r.secret as Json };
}

describe("meta", () => {
  test("status, version and supported locales", async () => {
    assert.deepEqual((await call("GET", "/status")).body, {
      success: true,
      status: "nominal",
      locale: "en",
      capabilities: {
        client_encryption: 1,
        client_encryption_required: false,
        file_max_bytes: 5242880,
        // HOST alone: the site's own host is the one domain a link may name.
        share_domains: ["localhost:3000"],
      },
    });
    const fr = await call("GET", "/status", { headers: { "accept-language": "fr" } });
    assert.equal(fr.body.locale, "fr");
    assert.deepEqual((await call("GET", "/version")).body, { success: true, version: "0.1.0", build: null });
    assert.deepEqual((await call("GET", "/supported-locales")).body, {
      success: true,
      locales: availableLocales(),
      default_locale: "en",
    });
  });
});

describe("conceal and generate", () => {
  test("conceal (JSON, anonymous): receipt twice, the secret, links, masked recipients", async () => {
    const { res, receipt, secret } = await conceal({ secret: "hello v2", ttl: 3600 });
    assert.deepEqual(record(res).metadata, receipt);
    assert.equal(record(res).share_domain, "");
    assert.deepEqual(res.body.details, { kind: "conceal", recipient: [], recipient_safe: [] });
    assert.equal(receipt.custid, "anon");
    assert.equal(receipt.state, "new");
    assert.equal(receipt.secret_ttl, 3600);
    assert.equal(receipt.lifespan, 3600);
    assert.equal(receipt.receipt_ttl, 7200);
    assert.equal(receipt.secret_identifier, secret.key);
    assert.equal(receipt.share_url, `http://localhost:3000/secret/${secret.key}`);
    assert.equal(receipt.receipt_url, `http://localhost:3000/receipt/${receipt.key}`);
    assert.equal(receipt.burn_url, `http://localhost:3000/receipt/${receipt.key}/burn`);
    assert.equal(receipt.secret_value, undefined);
    assert.equal(secret.shortid, String(secret.key).slice(0, 8));
    assert.equal(secret.state, "new");
    assert.equal(secret.has_passphrase, false);
    assert.equal(typeof secret.created, "number");
  });

  test("conceal as a nested form: secret[secret], secret[ttl], secret[passphrase]", async () => {
    const form = "secret[secret]=a+form+secret&secret[ttl]=600&secret[passphrase]=pass+word";
    const res = await call("POST", "/secret/conceal", { form });
    assert.equal(res.status, 200, res.raw);
    const secret = (record(res).secret as Json).key as string;
    assert.equal((record(res).secret as Json).has_passphrase, true);
    assert.equal((record(res).receipt as Json).lifespan, 600);
    const revealed = await call("POST", `/secret/${secret}/reveal`, { form: "passphrase=pass+word" });
    assert.equal(record(revealed).secret_value, "a form secret");
  });

  test("generate: the password once, in the create answer only", async () => {
    const res = await call("POST", "/secret/generate", { json: { secret: { ttl: 600 } } });
    assert.equal(res.status, 200, res.raw);
    const receipt = record(res).receipt as Json;
    assert.equal(res.body.details && (res.body.details as Json).kind, "generate");
    assert.equal(receipt.kind, "generate");
    assert.match(String(receipt.secret_value), /^.{12,}$/);
    const again = await call("GET", `/receipt/${receipt.key}`);
    assert.equal(record(again).secret_value, undefined);
    const secretKey = (record(res).secret as Json).key as string;
    const revealed = await call("POST", `/secret/${secretKey}/reveal`);
    assert.equal(record(revealed).secret_value, receipt.secret_value);
  });

  test("the TTL is v1's: clamped to the anonymous and the signed-in ceilings", async () => {
    assert.equal((await conceal({ secret: "x", ttl: 99_999_999 })).receipt.lifespan, 604800);
    const signedIn = await conceal({ secret: "x", ttl: "99999999" }, { authorization: alice.authorization });
    assert.equal(signedIn.receipt.lifespan, 2592000);
    assert.equal((await conceal({ secret: "x" })).receipt.lifespan, 604800);
  });
});

describe("auth", () => {
  test("Basic and Bearer both sign in; anonymous is anon", async () => {
    const basic = await conceal({ secret: "b" }, { authorization: alice.authorization });
    assert.equal(basic.receipt.custid, alice.email);
    const viaBearer = await conceal({ secret: "b" }, { authorization: bearer(alice.token) });
    assert.equal(viaBearer.receipt.custid, alice.email);
    for (const prefix of ["receipt", "private"]) {
      for (const authorization of [alice.authorization, bearer(alice.token)]) {
        const list = await call("GET", `/${prefix}/recent`, { headers: { authorization } });
        assert.equal(list.status, 200, list.raw);
        const keys = (list.body.records as Json[]).map((r) => r.key);
        assert.ok(keys.includes(basic.receipt.key) && keys.includes(viaBearer.receipt.key));
        assert.equal(list.body.count, keys.length);
        for (const r of list.body.records as Json[]) {
          assert.equal(r.secret_identifier, undefined);
          assert.equal(r.share_url, undefined);
        }
      }
    }
  });

  test("a replaced token, a wrong one or a malformed header is 401 everywhere, never anonymous", async () => {
    const bob = await makeAccount(t.deps, "bob@example.com");
    const old = bob.token;
    await issueToken(t.deps, bob.email);
    const { secret } = await conceal({ secret: "still here" });
    const wrongs = [
      bearer(old),
      bearer("nope"),
      "Bearer",
      "Basic !!!",
      `Basic ${btoa(`${bob.email}:${old}`)}`,
    ];
    for (const authorization of wrongs) {
      const headers = { authorization };
      for (const [method, path] of [
        ["GET", "/status"],
        ["GET", "/receipt/recent"],
        ["GET", `/secret/${secret.key}`],
        ["POST", `/secret/${secret.key}/reveal`],
      ] as const) {
        const res = await call(method, path, { headers });
        assert.equal(res.status, 401, `${authorization} ${path}`);
        assert.deepEqual(res.body, { error: "Not authorized", error_type: "Unauthorized" });
      }
      assert.equal(
        (await call("POST", "/secret/conceal", { json: { secret: { secret: "x" } }, headers })).status,
        401,
      );
    }
    assert.equal((await call("GET", `/secret/${secret.key}`)).status, 200, "nothing consumed");
  });

  test("recent needs credentials; recipients need an account", async () => {
    const res = await call("GET", "/receipt/recent");
    assert.equal(res.status, 401);
    const mail = await call("POST", "/secret/conceal", {
      json: { secret: { secret: "x", recipient: "a@b.io" } },
    });
    assert.equal(mail.status, 401);
    assert.equal(mail.body.field, "recipient");
  });
});

describe("secrets", () => {
  test("GET /secret/:key and its status consume nothing; reveal takes it once", async () => {
    const { secret, receipt } = await conceal({ secret: "look first", passphrase: "pp" });
    for (let i = 0; i < 3; i++) {
      const look = await call("GET", `/secret/${secret.key}`);
      assert.deepEqual(look.body.details, {});
      assert.equal(record(look).has_passphrase, true);
      assert.equal(record(look).state, "new");
      const status = await call("GET", `/secret/${secret.key}/status`);
      assert.equal(record(status).key, secret.key);
      assert.equal(typeof (status.body.details as Json).current_expiration, "number");
      const noGo = await call("POST", `/secret/${secret.key}/reveal`, { json: { continue: false } });
      assert.equal(record(noGo).secret_value, undefined);
    }
    const wrong = await call("POST", `/secret/${secret.key}/reveal`, { json: { passphrase: "no" } });
    assert.equal(wrong.status, 422);
    assert.deepEqual(wrong.body, {
      error: "Incorrect passphrase",
      error_type: "IncorrectPassphrase",
      field: "passphrase",
    });
    assert.equal(await receiptState(receipt.key), "new", "a wrong passphrase consumes nothing");

    const revealed = await call("POST", `/secret/${secret.key}/reveal`, {
      json: { passphrase: "pp", continue: true },
    });
    assert.equal(record(revealed).state, "revealed");
    assert.equal(record(revealed).secret_value, "look first");
    const after = await call("GET", `/receipt/${receipt.key}`);
    assert.equal(record(after).state, "revealed");
    assert.equal(record(after).is_revealed, true);
    assert.equal(typeof record(after).revealed, "number");
    assert.equal(record(after).share_url, undefined);
    assert.equal(record(after).secret_identifier, undefined);
  });

  test("no oracle: unknown, read, burned and expired answer the same 404, byte for byte", async () => {
    const read = await conceal({ secret: "r" });
    await call("POST", `/secret/${read.secret.key}/reveal`);
    const burned = await conceal({ secret: "b" });
    await call("POST", `/receipt/${burned.receipt.key}/burn`);
    const expired = await conceal({ secret: "e", ttl: 60 });
    clock.advance(61);
    const keys = {
      unknown: "0".repeat(31),
      read: read.secret.key,
      burned: burned.secret.key,
      expired: expired.secret.key,
      mistyped: "not-a-key",
    };
    for (const [name, key] of Object.entries(keys)) {
      for (const [method, path] of [
        ["GET", `/secret/${key}`],
        ["POST", `/secret/${key}/reveal`],
      ] as const) {
        const res = await call(method, path);
        assert.equal(res.status, 404, `${name} ${method} ${path}`);
        assert.equal(res.raw, NOT_FOUND_BODY, `${name} ${method} ${path}`);
      }
      const status = await call("GET", `/secret/${key}/status`);
      assert.equal(status.raw, '{"success":true,"record":{"state":"unknown"},"details":{}}', name);
    }
    for (const path of [`/receipt/${"0".repeat(31)}`, `/private/${"1".repeat(31)}/burn`]) {
      const res = await call(path.endsWith("burn") ? "POST" : "GET", path);
      assert.equal(res.raw, NOT_FOUND_BODY, path);
    }
    assert.equal(record(await call("GET", `/receipt/${expired.receipt.key}`)).state, "expired");
  });
});

describe("receipts", () => {
  test("show and burn under both prefixes; a passphrase gates the burn; burned is final", async () => {
    for (const prefix of ["receipt", "private"]) {
      const { receipt, secret } = await conceal({ secret: "to burn", passphrase: "pp" });
      const shown = await call("GET", `/${prefix}/${receipt.key}`);
      assert.equal(record(shown).key, receipt.key);
      const wrong = await call("POST", `/${prefix}/${receipt.key}/burn`, { json: { passphrase: "no" } });
      assert.equal(wrong.status, 422);
      assert.equal(wrong.body.field, "passphrase");
      const look = await call("POST", `/${prefix}/${receipt.key}/burn`, { json: { continue: false } });
      assert.equal(record(look).state, "new");
      const burned = await call("POST", `/${prefix}/${receipt.key}/burn`, { form: "passphrase=pp" });
      assert.equal(burned.status, 200, burned.raw);
      assert.equal(record(burned).state, "burned");
      assert.equal(record(burned).is_burned, true);
      assert.equal(record(burned).burn_url, undefined);
      assert.equal((await call("GET", `/secret/${secret.key}`)).status, 404);
      assert.equal(
        (await call("POST", `/${prefix}/${receipt.key}/burn`, { form: "passphrase=pp" })).raw,
        NOT_FOUND_BODY,
      );
    }
  });

  test("the log holds no key, passphrase, token or secret sent through v2", async () => {
    const { secret, receipt } = await conceal({ secret: "never-logged-v2", passphrase: "pp-never-logged" });
    await call("GET", `/secret/${secret.key}`, { headers: { authorization: bearer(alice.token) } });
    await call("POST", `/secret/${secret.key}/reveal`, { json: { passphrase: "pp-never-logged" } });
    const logs = t.logs.join("\n");
    for (const needle of ["never-logged-v2", "pp-never-logged", alice.token, secret.key, receipt.key]) {
      assert.ok(!logs.includes(String(needle)), String(needle).slice(0, 6));
    }
    assert.match(logs, /"path":"\/api\/v2\/secret\/conceal"/);
  });

  test("every operation of the document was answered here with its success", () => {
    for (const [path, ops] of Object.entries(checker.doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        // Secret requests have their own suite, which checks its operations (v2-requests.test.ts).
        if ((op as { tags?: string[] }).tags?.includes("request")) continue;
        assert.ok(checker.seen.has(`${method.toUpperCase()} ${path} 200`), `${method} ${path}`);
      }
    }
  });
});
