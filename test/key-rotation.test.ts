// Key rotation: after SECRET changes, SECRET_PREVIOUS keeps what was made under the old key
// working — reveal, metadata, burn, accounts and their tokens — while new rows use the new key.
// Without it, old secrets read as unknown and are not destroyed.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { changePassword } from "../src/actions/change-password.js";
import { issueToken } from "../src/actions/issue-token.js";
import { sessionAccount } from "../src/actions/session-account.js";
import { signIn } from "../src/actions/sign-in.js";
import { signUp } from "../src/actions/sign-up.js";
import { buildApp } from "../src/server/app.js";
import { createRuntime } from "../src/server/runtime.js";
import { basic, makeAccount, postForm, share } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";

const OLD = "old-root-key-0123456789abcdef0123456789";
const NEW = "new-root-key-0123456789abcdef0123456789";
const dir = tempDir("onetime-rotation-");
const dataDir = dir.path;
after(() => dir.remove());

async function open(env: Record<string, string>) {
  const runtime = await createRuntime({ env: { DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env } });
  const app = await buildApp(runtime.deps);
  return {
    app,
    deps: runtime.deps,
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}

test("SECRET_PREVIOUS keeps secrets, receipts and accounts made under the old key working", async () => {
  const before = await open({ SECRET: OLD });
  const alice = await makeAccount(before.deps, "alice@example.com");
  const guarded = await share(before.app, { secret: "guarded", passphrase: "open sesame" });
  const burnable = await share(before.app, { secret: "burn me" });
  const owned = await share(before.app, { secret: "owned" }, { authorization: alice.authorization });
  const kept = await share(before.app, { secret: "kept for later" });
  await before.close();

  // New key alone: old rows are unknown, and nothing is consumed by trying.
  const newOnly = await open({ SECRET: NEW });
  assert.equal((await postForm(newOnly.app, `/secret/${kept.secret_key}`)).json().message, "Unknown secret");
  assert.equal(
    (await postForm(newOnly.app, "/status", {}, { authorization: alice.authorization })).statusCode,
    404,
  );
  await newOnly.close();

  const rotated = await open({
    SECRET: NEW,
    SECRET_PREVIOUS: `unused-oldest-key-0123456789abcdef0123,${OLD}`,
  });
  try {
    const meta = await rotated.app.inject({ method: "GET", url: `/api/v1/private/${guarded.metadata_key}` });
    assert.equal(meta.json().secret_key, guarded.secret_key);
    const revealed = await postForm(rotated.app, `/secret/${guarded.secret_key}`, {
      passphrase: "open sesame",
    });
    assert.equal(revealed.json().value, "guarded");
    assert.equal(
      (await postForm(rotated.app, `/private/${burnable.metadata_key}/burn`)).json().state.state,
      "burned",
    );
    assert.equal((await postForm(rotated.app, `/secret/${kept.secret_key}`)).json().value, "kept for later");

    // The account and its token still work, and its list still opens.
    const recent = await rotated.app.inject({
      method: "GET",
      url: "/api/v1/private/recent",
      headers: { authorization: alice.authorization },
    });
    assert.deepEqual(
      recent.json().map((r: { metadata_key: string }) => r.metadata_key),
      [owned.metadata_key],
    );
    // The token alone (API v2's Bearer) finds the account made under the old key, list and all.
    const viaBearer = await rotated.app.inject({
      url: "/api/v2/receipt/recent",
      headers: { authorization: `Bearer ${alice.token}` },
    });
    assert.deepEqual(
      viaBearer.json().records.map((r: { key: string }) => r.key),
      [owned.metadata_key],
    );
    // A new token for the old account replaces the old one at once.
    const token = await issueToken(rotated.deps, "alice@example.com");
    const newAuth = basic("alice@example.com", token);
    assert.equal(
      (await rotated.app.inject({ url: "/api/v1/authcheck", headers: { authorization: newAuth } }))
        .statusCode,
      200,
    );
    assert.equal(
      (
        await rotated.app.inject({
          url: "/api/v1/authcheck",
          headers: { authorization: alice.authorization },
        })
      ).statusCode,
      404,
    );

    // New rows are made under the new key: they open without SECRET_PREVIOUS.
    const fresh = await share(rotated.app, { secret: "fresh" });
    await rotated.close();
    const plain = await open({ SECRET: NEW });
    try {
      assert.equal((await postForm(plain.app, `/secret/${fresh.secret_key}`)).json().value, "fresh");
    } finally {
      await plain.close();
    }
  } catch (err) {
    await rotated.close().catch(() => {});
    throw err;
  }
});

test("a web password made under the old key (its pepper) signs in and changes under SECRET_PREVIOUS", async () => {
  const auth = { AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true", RATE_LIMIT_ENABLED: "false" };
  const anonymous = { ip: "192.0.2.9", account: null };
  const email = "webby@example.com";
  const before = await open({ SECRET: OLD, ...auth });
  await signUp(before.deps, anonymous, { email, password: "first password", locale: null });
  await before.close();

  const rotated = await open({ SECRET: NEW, SECRET_PREVIOUS: OLD, ...auth });
  try {
    const session = await signIn(rotated.deps, anonymous, { email, password: "first password" });
    const account = await sessionAccount(rotated.deps, session);
    assert.ok(account !== null && account.listKey !== null);
    const changed = await changePassword(rotated.deps, anonymous, account, {
      current: "first password",
      next: "second password",
    });
    const listKey = (await sessionAccount(rotated.deps, changed))?.listKey;
    assert.ok(listKey);
    const again = await signIn(rotated.deps, anonymous, { email, password: "second password" });
    assert.deepEqual((await sessionAccount(rotated.deps, again))?.listKey, listKey);
  } finally {
    await rotated.close();
  }
});
