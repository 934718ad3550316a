// Sign-up, sign-in and sign-out on the web pages, in process: the options that shape them
// (AUTH_SIGNUP, ALLOWED_SIGNUP_DOMAIN, SSL), the session cookie, its rotation, and the limits.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { signUp } from "../src/actions/sign-up.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import { alertText, heading, notice, signInViaForm, signUpViaForm, visitor } from "./support/web-support.js";

const PASSWORD = "correct horse battery";

type Cookie = {
  name: string;
  value: string;
  maxAge?: number;
  path?: string;
  httpOnly?: boolean;
  sameSite?: string;
  secure?: boolean;
};
const cookie = (res: LightMyRequestResponse, name: string) =>
  (res.cookies as Cookie[]).find((c) => c.name === name);
const nav = (res: LightMyRequestResponse) => /<nav class="nav"[\s\S]*?<\/nav>/.exec(res.body)?.[0] ?? "";

describe("AUTH_SIGNUP=true, AUTH_AUTOVERIFY=true", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
  });
  after(() => t.close());

  test("sign up signs in: a session cookie (HttpOnly, Lax, Path=/, Max-Age=SESSION_TTL); the header changes", async () => {
    const v = visitor(t.app);
    const home = await v.get("/");
    assert.match(nav(home), new RegExp(`href="/signin">${en("nav.signin")}<`));
    assert.match(nav(home), new RegExp(`href="/signup" class="button primary">${en("nav.signup")}<`));
    assert.doesNotMatch(nav(home), /dashboard/);

    const res = await signUpViaForm(v, "Ann@Example.com", PASSWORD);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, "/dashboard?notice=welcome");
    const session = cookie(res, "ot_session");
    assert.ok(session);
    assert.match(session.value, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      {
        path: session.path,
        httpOnly: session.httpOnly,
        sameSite: session.sameSite,
        maxAge: session.maxAge,
        secure: session.secure,
      },
      { path: "/", httpOnly: true, sameSite: "Lax", maxAge: 7 * 86400, secure: undefined },
    );
    const dashboard = await v.get("/dashboard?notice=welcome");
    assert.equal(dashboard.statusCode, 200);
    assert.equal(notice(dashboard), en("notice.welcome"));
    assert.equal(heading(dashboard), en("dashboard.title"));
    assert.match(dashboard.body, new RegExp(en("dashboard.empty")));
    const links = nav(dashboard);
    for (const key of ["nav.dashboard", "nav.account", "nav.signout"])
      assert.match(links, new RegExp(en(key)));
    assert.doesNotMatch(links, /href="\/signin"/);
    assert.match(links, /<form method="post" action="\/signout"[^>]*><input type="hidden" name="_csrf"/);
    const account = await v.get("/account");
    assert.match(account.body, new RegExp(en("account.lead", { email: "ann@example.com" })));
  });

  test("sign-up errors are clear, keep the address and never echo the password", async () => {
    const v = visitor(t.app);
    await signUpViaForm(v, "taken@example.com", PASSWORD);
    const cases: [Record<string, string>, number, string][] = [
      [{ email: "not-an-address", password: PASSWORD }, 400, en("auth.error.bad_email")],
      [
        { email: "short@example.com", password: "1234567" },
        400,
        en("auth.error.password_too_short", { count: 8 }),
      ],
      [
        { email: "long@example.com", password: "x".repeat(257) },
        400,
        en("auth.error.password_too_long", { count: 256 }),
      ],
      [{ email: "taken@example.com", password: "another password" }, 409, en("auth.error.account_exists")],
    ];
    const w = visitor(t.app);
    for (const [form, status, message] of cases) {
      await w.get("/signup");
      const res = await w.post("/signup", form);
      assert.equal(res.statusCode, status, message);
      assert.equal(alertText(res), message);
      assert.match(res.body, new RegExp(`name="email" value="${form.email}"`));
      assert.ok(!res.body.includes(form.password as string), "the password is not sent back");
      assert.equal(cookie(res, "ot_session"), undefined);
    }
    const forged = await w.post("/signup", { email: "x@example.com", password: PASSWORD, _csrf: "forged" });
    assert.equal(forged.statusCode, 403);
    assert.equal(alertText(forged), en("form.error.expired"));
  });

  test("sign-in: a wrong password is refused plainly; each sign-in gets a new token and ends the old session", async () => {
    const v = visitor(t.app);
    await signUpViaForm(v, "bea@example.com", PASSWORD);
    const first = v.cookies.get("ot_session");
    await v.post("/signout");

    const w = visitor(t.app);
    await w.get("/signin");
    const wrong = await w.post("/signin", { email: "bea@example.com", password: "not it at all" });
    assert.equal(wrong.statusCode, 401);
    assert.equal(alertText(wrong), en("auth.error.bad_credentials"));
    assert.match(wrong.body, /name="email" value="bea@example.com"/);
    assert.ok(!wrong.body.includes("not it at all"));
    const unknown = await w.post("/signin", { email: "nobody@example.com", password: PASSWORD });
    assert.equal(unknown.statusCode, 401, "an unknown address answers as a wrong password");
    assert.equal(alertText(unknown), en("auth.error.bad_credentials"));

    const signedIn = await signInViaForm(w, "BEA@example.com ", PASSWORD, "/account");
    assert.equal(signedIn.headers.location, "/account", "back where sign-in was asked for");
    const second = w.cookies.get("ot_session");
    // Signed in, /signin redirects: the form's token comes from a page of this session (tokens are
    // bound to the session, so the one from the signed-out sign-in page no longer passes).
    await w.get("/");
    await signInViaForm(w, "bea@example.com", PASSWORD);
    const third = w.cookies.get("ot_session");
    assert.ok(first && second && third);
    assert.equal(new Set([first, second, third]).size, 3, "a fresh token on every sign-in");
    // The session the second sign-in replaced is gone, not merely forgotten by this browser.
    const replay = await t.app.inject({
      method: "GET",
      url: "/dashboard",
      headers: { cookie: `ot_session=${second}` },
    });
    assert.equal(replay.statusCode, 303);
    assert.equal(replay.headers.location, "/signin?next=%2Fdashboard");
    assert.equal(cookie(replay, "ot_session")?.maxAge, 0, "a dead session's cookie is dropped");
    assert.equal((await w.get("/dashboard")).statusCode, 200);
    assert.equal((await w.get("/signin")).headers.location, "/dashboard", "signed in: no sign-in form");
  });

  test("sign-out ends the session on the server; without its CSRF token it does nothing", async () => {
    const v = visitor(t.app);
    await signUpViaForm(v, "cleo@example.com", PASSWORD);
    const token = v.cookies.get("ot_session");
    await v.get("/dashboard");
    const forged = await v.post("/signout", { _csrf: "forged" });
    assert.equal(forged.statusCode, 403);
    assert.equal((await v.get("/dashboard")).statusCode, 200, "still signed in");

    const out = await v.post("/signout");
    assert.equal(out.statusCode, 303);
    assert.equal(out.headers.location, "/?notice=signed_out");
    assert.equal(cookie(out, "ot_session")?.maxAge, 0);
    const home = await v.get("/?notice=signed_out");
    assert.equal(notice(home), en("notice.signed_out"));
    assert.match(nav(home), /href="\/signin"/);
    const replay = await t.app.inject({
      method: "GET",
      url: "/account",
      headers: { cookie: `ot_session=${token}` },
    });
    assert.equal(replay.headers.location, "/signin?next=%2Faccount", "the old cookie no longer signs in");
  });

  test("signed out, the dashboard and the account page send to sign-in and back", async () => {
    const v = visitor(t.app);
    for (const path of ["/dashboard", "/account"]) {
      const res = await v.get(path);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, `/signin?next=${encodeURIComponent(path)}`);
    }
    const form = await v.get("/signin?next=/account");
    assert.match(form.body, /name="next" value="\/account"/);
    const offsite = await v.get("/signin?next=//evil.example/x");
    assert.match(offsite.body, /name="next" value="\/"/, "never a next page on another site");
    const fr = await v.get("/signin?locale=fr");
    assert.equal(heading(fr), "Connexion");
  });
});

test("AUTH_SIGNUP=false (the default): no sign-up link, /signup is a 'page not found'", async () => {
  const t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
  try {
    const v = visitor(t.app);
    const home = await v.get("/");
    assert.doesNotMatch(home.body, /href="\/signup"/);
    const page = await v.get("/signup");
    assert.equal(page.statusCode, 404);
    assert.equal(heading(page), en("error.not_found.title"));
    assert.equal((await v.post("/signup", { email: "a@example.com", password: PASSWORD })).statusCode, 404);
    assert.doesNotMatch((await v.get("/signin")).body, /href="\/signup"/);
  } finally {
    await t.close();
  }
});

test("the header offers Sign in only where a web password can exist: sign-up on, or mail to set one", async () => {
  const cases: { env: Record<string, string>; signin: boolean; why: string }[] = [
    { env: {}, signin: false, why: "the default: no sign-up, no mail (CLI accounts have no web password)" },
    {
      env: { SMTP_HOST: "127.0.0.1" },
      signin: true,
      why: "a CLI account sets its password from a reset mail",
    },
    { env: { AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" }, signin: true, why: "sign-up" },
  ];
  for (const { env, signin, why } of cases) {
    const t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", ...env });
    try {
      const v = visitor(t.app);
      const home = await v.get("/");
      assert.equal(/href="\/signin"/.test(home.body), signin, why);
      if (!signin) assert.doesNotMatch(home.body, /<nav class="nav"/, `${why}: no empty nav`);
      // The page itself still answers, for accounts that got a password earlier.
      assert.equal((await v.get("/signin")).statusCode, 200, why);
    } finally {
      await t.close();
    }
  }
});

test("without SMTP_HOST, /forgot says no mail can be sent (no form), and logs it without the address", async () => {
  const t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
  try {
    const v = visitor(t.app);
    const page = await v.get("/forgot");
    assert.equal(page.statusCode, 200);
    assert.equal(alertText(page), en("forgot.no_mail"));
    assert.doesNotMatch(page.body, /action="\/forgot"/);
    const fr = await v.get("/forgot?locale=fr");
    assert.equal(alertText(fr), t.deps.i18n.messages("fr").t("forgot.no_mail"));

    // A form posted anyway (an old page, a script) gets the same answer, never "a link was sent".
    const posted = await v.post("/forgot", { email: "cli-made@example.com" });
    assert.equal(posted.statusCode, 503);
    assert.equal(alertText(posted), en("forgot.no_mail"));
    assert.equal(posted.headers.location, undefined);
    const warnings = t.logs.filter((l) => l.includes("SMTP_HOST is unset"));
    assert.equal(warnings.length, 3, "one line per request");
    assert.ok(warnings.every((l) => JSON.parse(l).level === 40));
    assert.ok(!t.logs.some((l) => l.includes("cli-made@example.com")), "the address is never logged");
  } finally {
    await t.close();
  }
});

test("AUTH_ENABLED=false: no account links and no account pages", async () => {
  const t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", AUTH_ENABLED: "false" });
  try {
    const v = visitor(t.app);
    assert.doesNotMatch((await v.get("/")).body, /<nav class="nav"/);
    for (const path of ["/signin", "/dashboard", "/account"]) {
      assert.equal((await v.get(path, { accept: "text/html" })).statusCode, 404, path);
    }
  } finally {
    await t.close();
  }
});

test("ALLOWED_SIGNUP_DOMAIN: the form says which domains; another domain is refused", async () => {
  const t = await makeTestApp({
    RATE_LIMIT_ENABLED: "false",
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    ALLOWED_SIGNUP_DOMAIN: "example.com,@corp.example",
  });
  try {
    const v = visitor(t.app);
    const form = await v.get("/signup");
    assert.match(form.body, new RegExp(en("signup.domains", { domains: "example.com, corp.example" })));
    const refused = await v.post("/signup", { email: "eve@elsewhere.net", password: PASSWORD });
    assert.equal(refused.statusCode, 400);
    assert.equal(
      alertText(refused),
      en("auth.error.signup_domain", { domains: "example.com, corp.example" }),
    );
    assert.equal((await signUpViaForm(v, "dan@corp.example", PASSWORD)).statusCode, 303);
  } finally {
    await t.close();
  }
});

test("SSL=true: the session cookie is __Host-ot_session and Secure", async () => {
  const t = await makeTestApp({
    RATE_LIMIT_ENABLED: "false",
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    SSL: "true",
  });
  try {
    const v = visitor(t.app);
    const res = await signUpViaForm(v, "sam@example.com", PASSWORD);
    const session = cookie(res, "__Host-ot_session");
    assert.ok(session);
    assert.deepEqual([session.secure, session.httpOnly, session.path], [true, true, "/"]);
    assert.equal(cookie(res, "ot_session"), undefined);
    assert.equal((await v.get("/dashboard")).statusCode, 200);
  } finally {
    await t.close();
  }
});

test("sign-in limits: an account locks after SIGNIN_ATTEMPTS_PER_ACCOUNT failures; an IP after RATE_LIMIT_SIGNIN", async () => {
  const t = await makeTestApp({
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    SIGNIN_ATTEMPTS_PER_ACCOUNT: "3",
    RATE_LIMIT_SIGNIN: "6",
  });
  try {
    // Made from another address, so that only the sign-ins below count against this one.
    const elsewhere = { ip: "10.9.8.7", account: null };
    for (const email of ["alice@example.com", "bob@example.com"]) {
      await signUp(t.deps, elsewhere, { email, password: PASSWORD, locale: null });
    }
    const v = visitor(t.app);
    await v.get("/signin");
    for (let i = 0; i < 3; i++) {
      const res = await v.post("/signin", { email: "alice@example.com", password: `wrong ${i}` });
      assert.equal(res.statusCode, 401);
    }
    const locked = await v.post("/signin", { email: "alice@example.com", password: PASSWORD });
    assert.equal(locked.statusCode, 429, "locked even with the right password");
    assert.equal(alertText(locked), en("auth.error.rate_limited"));
    assert.match(locked.body, /name="email" value="alice@example.com"/);
    assert.equal(cookie(locked, "ot_session"), undefined);

    assert.equal(
      (await signInViaForm(visitor(t.app), "bob@example.com", PASSWORD)).statusCode,
      303,
      "another account is not locked",
    );
    const w = visitor(t.app);
    await w.get("/signin");
    assert.equal((await w.post("/signin", { email: "bob@example.com", password: "wrong" })).statusCode, 401);
    const ipLimited = await w.post("/signin", { email: "bob@example.com", password: PASSWORD });
    assert.equal(ipLimited.statusCode, 429, "the 7th sign-in from one address in the window");
    // Both refusals are counted, the account lock as the per-address limit.
    const metrics = (await t.deps.metrics?.render()) ?? "";
    assert.match(metrics, /^onetime_rate_limit_hits_total 2$/m);
  } finally {
    await t.close();
  }
});
