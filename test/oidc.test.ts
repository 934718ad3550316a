// OpenID Connect single sign-on over HTTP against a real provider (oidc-provider on loopback): a
// sign-in that ends on the dashboard, and every answer the server must refuse with a clear page.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { signIn } from "../src/actions/sign-in.js";
import { isAppError } from "../src/domain/errors.js";
import { manualClock } from "./support/clock.js";
import { makeAccount } from "./support/helpers.js";
import { CookieJar, go, loginAtProvider, type SsoSetup, startSignIn, startSso } from "./support/oidc-flow.js";
import { CLIENT_ID, CLIENT_SECRET, createTestProvider } from "./support/oidc-provider.js";
import { startWebServer } from "./support/web-server.js";

const ALICE = { email: "alice@example.com", email_verified: true, groups: ["staff", "onetime-admins"] };

const auditLog = (sso: SsoSetup) =>
  sso.server.t.deps.store.audit.list({ now: Date.now(), limit: 100, order: "oldest" });

async function signInAs(sso: SsoSetup, login: string) {
  const jar = new CookieJar();
  const callback = await loginAtProvider(jar, await startSignIn(jar, sso.server), login);
  const res = await go(jar, callback);
  return { jar, callback, res };
}

describe("single sign-on (HTTP)", () => {
  let sso: SsoSetup;
  before(async () => {
    sso = await startSso(
      {
        alice: ALICE,
        erin: { email: "erin@example.com", email_verified: true, groups: ["staff"] },
        mallory: { email: "mallory@example.com", email_verified: false },
      },
      { OIDC_ADMIN_GROUP: "onetime-admins" },
    );
  });
  after(() => sso.close());

  test("a sign-in ends on the dashboard, signed in, and the audit log records it", async () => {
    const { jar, res } = await signInAs(sso, "alice");
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/dashboard");
    assert.ok(jar.cookies.has("ot_session"));
    assert.ok(!jar.cookies.has("ot_oidc"), "the pending sign-in's cookie is cleared");
    const dashboard = await go(jar, `${sso.server.base}/dashboard`);
    assert.equal(dashboard.status, 200);
    assert.match(await dashboard.text(), /<title>Your secrets/);
    const entries = await auditLog(sso);
    const signin = entries.find((e) => e.action === "signin" && e.target === "alice@example.com");
    assert.equal(signin?.detail, "sso");
    assert.ok(entries.some((e) => e.action === "account_created" && e.detail === "sso"));
  });

  test("the groups claim reaches the session (for OIDC_ADMIN_GROUP)", async () => {
    const { jar } = await signInAs(sso, "alice");
    const { sessionAccount } = await import("../src/actions/session-account.js");
    const found = await sessionAccount(sso.server.t.deps, jar.cookies.get("ot_session"));
    assert.deepEqual(found?.groups, ["staff", "onetime-admins"]);
  });

  test("OIDC_ADMIN_GROUP in the groups claim makes an admin; an account without it gets 403 on /admin", async () => {
    const admin = await signInAs(sso, "alice");
    assert.equal((await go(admin.jar, `${sso.server.base}/admin`)).status, 200);
    await makeAccount(sso.server.t.deps, "erin@example.com");
    const plain = await signInAs(sso, "erin");
    assert.equal(plain.res.status, 303);
    assert.equal((await go(plain.jar, `${sso.server.base}/admin`)).status, 403);
  });

  test("a tampered state is refused, and nobody is signed in", async () => {
    const jar = new CookieJar();
    const callback = new URL(await loginAtProvider(jar, await startSignIn(jar, sso.server), "alice"));
    callback.searchParams.set("state", `${callback.searchParams.get("state")}x`);
    const res = await go(jar, callback.href);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Sign-in refused/);
    assert.ok(!jar.cookies.has("ot_session"));
  });

  test("a callback without the browser's pending sign-in (another browser) is refused", async () => {
    const jar = new CookieJar();
    const callback = await loginAtProvider(jar, await startSignIn(jar, sso.server), "alice");
    const res = await go(new CookieJar(), callback);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Sign-in refused/);
  });

  test("a replayed code is refused", async () => {
    const jar = new CookieJar();
    const callback = await loginAtProvider(jar, await startSignIn(jar, sso.server), "alice");
    const pending = jar.cookies.get("ot_oidc") as string;
    assert.equal((await go(jar, callback)).status, 303);
    const replay = new CookieJar();
    replay.cookies.set("ot_oidc", pending);
    const res = await go(replay, callback);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /Sign-in refused/);
    assert.ok(!replay.cookies.has("ot_session"));
    const failed = (await auditLog(sso)).filter((e) => e.action === "signin_failed");
    assert.ok(failed.some((e) => e.detail === "sso_flow" && e.outcome === "failed"));
  });

  test("an ID token for another audience is refused", async () => {
    sso.provider.audience = "someone-else";
    try {
      const { jar, res } = await signInAs(sso, "alice");
      assert.equal(res.status, 403);
      assert.match(await res.text(), /Sign-in refused/);
      assert.ok(!jar.cookies.has("ot_session"));
    } finally {
      sso.provider.audience = null;
    }
    assert.ok(sso.server.t.logs.some((l) => l.includes("single sign-on refused")));
  });

  test("an address the provider does not vouch for is refused", async () => {
    const { res } = await signInAs(sso, "mallory");
    assert.equal(res.status, 403);
    assert.match(await res.text(), /does not confirm that your email address is verified/);
  });

  test("no token, code or secret reaches the log", () => {
    const log = sso.server.t.logs.join("");
    assert.ok(!log.includes("a-client-secret-for-tests-only"));
    assert.ok(!/code=[A-Za-z0-9_-]{20,}/.test(log));
    assert.ok(!/eyJ[A-Za-z0-9_-]{10,}\./.test(log), "no JWT");
  });
});

describe("single sign-on (HTTP): issuer, expiry, domains, accounts, provider down, AUTH_LOCAL", () => {
  test("a code from another issuer (a mix-up) is refused", async () => {
    const sso = await startSso({ alice: ALICE });
    const other = await createTestProvider();
    other.users.set("alice", ALICE);
    await other.start(`${sso.server.base}/signin/oidc/callback`);
    try {
      const jar = new CookieJar();
      const auth = new URL(await startSignIn(jar, sso.server));
      const elsewhere = new URL(auth.pathname + auth.search, other.issuer);
      const callback = await loginAtProvider(jar, elsewhere.href, "alice");
      const res = await go(jar, callback);
      assert.equal(res.status, 403);
      assert.match(await res.text(), /Sign-in refused/);
      assert.ok(!jar.cookies.has("ot_session"));
    } finally {
      await other.close();
      await sso.close();
    }
  });

  test("an expired ID token is refused (the server's clock an hour past the token's life)", async () => {
    const sso = await startSso({ alice: ALICE });
    try {
      manualClock(sso.server.t).advance(3600);
      const { jar, res } = await signInAs(sso, "alice");
      assert.equal(res.status, 403);
      assert.match(await res.text(), /Sign-in refused/);
      assert.ok(!jar.cookies.has("ot_session"));
      assert.ok(sso.server.t.logs.some((l) => l.includes("OAUTH_JWT_TIMESTAMP_CHECK_FAILED")));
    } finally {
      await sso.close();
    }
  });

  test("an address outside OIDC_ALLOWED_DOMAINS is refused; without OIDC_AUTO_CREATE no account is made", async () => {
    const sso = await startSso(
      { alice: ALICE, bob: { email: "bob@corp.example", email_verified: true } },
      { OIDC_ALLOWED_DOMAINS: "corp.example", OIDC_AUTO_CREATE: "false" },
    );
    try {
      const outside = await signInAs(sso, "alice");
      assert.equal(outside.res.status, 403);
      assert.match(await outside.res.text(), /Only addresses at corp\.example can sign in here/);
      const unknown = await signInAs(sso, "bob");
      assert.equal(unknown.res.status, 403);
      assert.match(await unknown.res.text(), /There is no account for this address/);
      // Once the account exists (made with the command line), the same sign-in works.
      await makeAccount(sso.server.t.deps, "bob@corp.example");
      const known = await signInAs(sso, "bob");
      assert.equal(known.res.status, 303);
      assert.ok(known.jar.cookies.has("ot_session"));
    } finally {
      await sso.close();
    }
  });

  test("a provider that cannot be reached: a clear page and a log line, and a later sign-in works", async () => {
    const provider = await createTestProvider();
    const server = await startWebServer({
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_CLIENT_SECRET: CLIENT_SECRET,
      OIDC_NAME: "Test ID",
      OIDC_AUTO_CREATE: "true",
    });
    try {
      const res = await go(new CookieJar(), `${server.base}/signin/oidc`);
      assert.equal(res.status, 503);
      assert.match(await res.text(), /Test ID cannot be reached right now/);
      assert.ok(server.t.logs.some((l) => l.includes("discovery document could not be read")));
      provider.users.set("alice", ALICE);
      await provider.start(`${server.base}/signin/oidc/callback`);
      const { res: done } = await signInAs({ provider, server, close: async () => {} }, "alice");
      assert.equal(done.status, 303);
    } finally {
      await server.close();
      await provider.close();
    }
  });

  test("AUTH_LOCAL=false: the sign-in page has the button and no password form; passwords are refused", async () => {
    const sso = await startSso({ alice: ALICE }, { AUTH_LOCAL: "false" });
    try {
      const page = await (await go(new CookieJar(), `${sso.server.base}/signin`)).text();
      assert.match(page, /Sign in with Test ID/);
      assert.doesNotMatch(page, /type="password"/);
      assert.equal((await go(new CookieJar(), `${sso.server.base}/forgot`)).status, 404);
      await assert.rejects(
        signIn(
          sso.server.t.deps,
          { ip: "127.0.0.1", account: null },
          { email: "a@b.example", password: "x" },
        ),
        (err: unknown) => isAppError(err, "local_auth_off"),
      );
    } finally {
      await sso.close();
    }
  });
});
