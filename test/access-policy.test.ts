// CREATE_POLICY and READ_POLICY on every surface: the pages, API v1 and API v2 give the same
// decision, with a clear answer (401 and a message on the APIs, a sign-in first on the pages), and a
// refused read consumes nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { loadConfig } from "../src/config.js";
import { ConfigError } from "../src/config-reader.js";
import { makeAccount, makeTestApp, postForm, type TestApp } from "./support/helpers.js";

const v2 = (t: TestApp, url: string, payload: unknown, authorization?: string) =>
  t.app.inject({
    method: "POST",
    url: `/api/v2${url}`,
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    payload: JSON.stringify(payload),
  });

describe("READ_POLICY=signed-in", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", READ_POLICY: "signed-in" });
  });
  after(() => t.close());

  test("v1: an anonymous read is refused with 401 and a message, and consumes nothing; an account reads", async () => {
    const alice = await makeAccount(t.deps);
    const made = (await postForm(t.app, "/share", { secret: "members only" })).json();
    const refused = await postForm(t.app, `/secret/${made.secret_key}`);
    assert.equal(refused.headers["x-ots-intended-status"] ?? String(refused.statusCode), "401");
    assert.match(refused.json().message, /only accounts read secrets/);
    const read = await postForm(
      t.app,
      `/secret/${made.secret_key}`,
      {},
      { authorization: alice.authorization },
    );
    assert.equal(read.json().value, "members only");
  });

  test("v2: an anonymous reveal is refused with 401 Unauthorized, and consumes nothing; a token reveals", async () => {
    const bob = await makeAccount(t.deps, "bob@example.com");
    const made = await v2(t, "/secret/conceal", { secret: { secret: "members only, v2" } });
    const key = ((made.json().record as Record<string, unknown>).secret as { key: string }).key;
    const refused = await v2(t, `/secret/${key}/reveal`, {});
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error_type, "Unauthorized");
    assert.match(refused.json().error, /only accounts read secrets/);
    const revealed = await v2(t, `/secret/${key}/reveal`, {}, `Bearer ${bob.token}`);
    assert.equal(revealed.statusCode, 200);
    assert.equal((revealed.json().record as Record<string, unknown>).secret_value, "members only, v2");
  });

  test("web: the link asks to sign in first (GET and POST), then comes back to the secret", async () => {
    const made = (await postForm(t.app, "/share", { secret: "members only, web" })).json();
    for (const method of ["GET", "POST"] as const) {
      const res = await t.app.inject({ method, url: `/secret/${made.secret_key}` });
      assert.equal(res.statusCode, 303);
      const to = new URL(res.headers.location as string, "http://x");
      assert.equal(to.pathname, "/signin");
      assert.equal(to.searchParams.get("next"), `/secret/${made.secret_key}`);
    }
    const page = await t.app.inject({
      method: "GET",
      url: `/signin?next=/secret/${made.secret_key}&notice=signin_to_read`,
    });
    assert.match(page.body, /Sign in to read this secret/);
    // Nothing was spent: the secret still reads.
    const carol = await makeAccount(t.deps, "carol@example.com");
    const read = await postForm(
      t.app,
      `/secret/${made.secret_key}`,
      {},
      { authorization: carol.authorization },
    );
    assert.equal(read.json().value, "members only, web");
  });
});

describe("CREATE_POLICY=signed-in", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", CREATE_POLICY: "signed-in" });
  });
  after(() => t.close());

  test("v1 and v2 refuse anonymous creation with 401; an account creates; anyone reads", async () => {
    const v1 = await postForm(t.app, "/share", { secret: "x" });
    assert.equal(v1.headers["x-ots-intended-status"], "401");
    assert.deepEqual(v1.json(), { message: "Not authorized" });
    const refused = await v2(t, "/secret/conceal", { secret: { secret: "x" } });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.json().error_type, "Unauthorized");
    const alice = await makeAccount(t.deps);
    const made = await postForm(
      t.app,
      "/share",
      { secret: "by an account" },
      { authorization: alice.authorization },
    );
    assert.equal((await postForm(t.app, `/secret/${made.json().secret_key}`)).json().value, "by an account");
  });

  test("web: the home page asks to sign in instead of offering the form", async () => {
    const home = await t.app.inject({ method: "GET", url: "/" });
    assert.doesNotMatch(home.body, /name="secret"/);
    assert.match(home.body, /Anyone who receives a link can still open it without an account/);
  });
});

test("web: with both policies signed-in, the home page does not promise that links open without an account", async () => {
  const both = await makeTestApp({ CREATE_POLICY: "signed-in", READ_POLICY: "signed-in" });
  try {
    const home = await both.app.inject({ method: "GET", url: "/" });
    assert.doesNotMatch(home.body, /without an account/);
    assert.match(home.body, /only signed-in users can share secrets and open the links they are sent/);
  } finally {
    await both.close();
  }
});

test("AUTH_REQUIRED=true is CREATE_POLICY=signed-in; the two cannot disagree", () => {
  const base = { SECRET: "x".repeat(32), DATA_DIR: "/tmp/none" };
  assert.equal(loadConfig({ ...base, AUTH_REQUIRED: "true" }).access.create, "signed-in");
  assert.equal(loadConfig({ ...base, CREATE_POLICY: "signed-in" }).auth.required, true);
  assert.equal(loadConfig(base).access.create, "anyone");
  assert.equal(loadConfig(base).access.read, "anyone");
  assert.throws(() => loadConfig({ ...base, AUTH_REQUIRED: "true", CREATE_POLICY: "anyone" }), ConfigError);
  assert.throws(() => loadConfig({ ...base, READ_POLICY: "members" }), ConfigError);
});
