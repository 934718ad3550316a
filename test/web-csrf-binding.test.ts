// A planted CSRF pair (issue 16, point 11). Under SSL=false the CSRF cookie has no __Host- prefix,
// so a sibling subdomain (or anyone on plain HTTP) can set it in a victim's browser to a value of
// its own, whose form token it got by visiting the site itself. The token is bound to the session:
// that pair, sent with the victim's session, is refused by every form the routes define.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { FastifyInstance } from "fastify";
import { encodeRequestKey, newRequesterKeys } from "../src/crypto/request-key.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import { createViaForm, signUpViaForm, type Visitor, visitor } from "./support/web-support.js";

let t: TestApp;
before(async () => {
  t = await makeTestApp({
    RATE_LIMIT_ENABLED: "false",
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    // Mail is set so that /forgot takes its form; nothing is sent (no worker runs).
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: "9",
    // The victim is an admin, so that the admin pages' forms reach their CSRF check.
    ADMIN_EMAILS: "victim@example.com",
  });
});
after(() => t.close());

/** Every POST route the app defines, as full paths (from Fastify's own route tree). */
function postRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const paths: string[] = [];
  for (const line of app.printRoutes({ method: "POST", commonPrefix: false }).split("\n")) {
    const m = /^((?:[│ ] {3})*)[├└]── (\S+) \(([^)]*)\)/.exec(line);
    if (m === null) continue;
    const depth = (m[1] ?? "").length / 4;
    const path = (depth === 0 ? "" : (stack[depth - 1] ?? "")) + (m[2] ?? "");
    stack[depth] = path;
    if ((m[3] ?? "").includes("POST")) paths.push(path);
  }
  return paths;
}

/** The form fields each route needs to do something, so that only the CSRF check can stop it. */
const FIELDS: Record<string, Record<string, string>> = {
  "/account/password": { current: "victim's password", next: "attacker's password" },
  "/account/language": { locale: "fr" },
  "/account/delete": { password: "victim's password" },
  "/prefs": { locale: "fr", next: "/" },
  "/create": { secret: "planted", ttl: "3600" },
  "/signup": { email: "planted@example.com", password: "attacker's password" },
  "/signin": { email: "attacker@example.com", password: "attacker's password" },
  "/forgot": { email: "victim@example.com" },
  "/reset/:token": { password: "attacker's password" },
  "/request": { note: "planted", public_key: "BA" },
  "/request/:key/answer": { zk_blob: "AA", zk_proof: "AA", sender_key: "BA" },
  // An unknown pickup answers 410: a 403 says the CSRF check stopped the post first.
  "/secret/download": { pickup: "0".repeat(31) },
};

/** The pair an attacker takes from its own visit: the CSRF cookie's value and a form's token. */
async function pairOf(v: Visitor): Promise<{ cookie: string; token: string }> {
  await v.get("/");
  const cookie = v.cookies.get("ot_csrf");
  assert.ok(cookie !== undefined && v.csrf !== "");
  return { cookie, token: v.csrf };
}

test("a CSRF cookie and token taken from another visitor are refused with the victim's session, on every form", async () => {
  const attacker = visitor(t.app);
  await signUpViaForm(attacker, "attacker@example.com", "attacker's password");
  const signedOut = visitor(t.app);
  const pairs = {
    "signed-in attacker": await pairOf(attacker),
    "signed-out attacker": await pairOf(signedOut),
  };

  const victim = visitor(t.app);
  await signUpViaForm(victim, "victim@example.com", "victim's password");
  const { receiptPath, secretPath } = await createViaForm(victim, { secret: "victim's secret", ttl: "3600" });
  const linkToken = "0".repeat(50);
  // The victim's own secret request, made with the victim's own pair.
  await victim.get("/dashboard");
  const publicKey = encodeRequestKey((await newRequesterKeys()).publicKey);
  const made = await victim.post("/request", { note: "victim's request", public_key: publicKey });
  assert.equal(made.statusCode, 200);
  const { request: requestPath, requester: requesterPath } = made.json() as {
    request: string;
    requester: string;
  };

  const routes = postRoutes(t.app).filter((p) => !p.startsWith("/api/"));
  assert.deepEqual(
    [...routes].sort(),
    [
      "/account/delete",
      "/account/language",
      "/account/password",
      "/account/token",
      "/account/webhooks",
      "/account/webhooks/remove",
      "/admin/accounts/:id/:change",
      "/admin/audit/export",
      "/admin/mail/:id/retry",
      "/create",
      "/forgot",
      "/prefs",
      "/private/:key/burn",
      "/receipt/:key/burn",
      "/request",
      "/request/:key/answer",
      "/requester/:key",
      "/requester/:key/close",
      "/reset/:token",
      "/secret/:key",
      "/secret/download",
      "/signin",
      "/signout",
      "/signup",
      "/verify/:token",
    ],
    "every form of the app is tried below; a new one must be added here",
  );
  const attackerId = t.deps.vault.accountId("attacker@example.com");
  const urlOf = (route: string) =>
    route
      .replace("/admin/accounts/:id/:change", `/admin/accounts/${attackerId}/disable`)
      .replace("/admin/mail/:id", `/admin/mail/${"0".repeat(32)}`)
      .replace("/private/:key", receiptPath.replace("/receipt/", "/private/"))
      .replace("/receipt/:key", receiptPath)
      .replace("/secret/:key", secretPath)
      .replace("/requester/:key", requesterPath)
      .replace("/request/:key", requestPath)
      .replace(":token", linkToken);

  const session = victim.cookies.get("ot_session");
  assert.ok(session !== undefined);
  const accepted: string[] = [];
  for (const [who, pair] of Object.entries(pairs)) {
    for (const route of routes) {
      const res = await t.app.inject({
        method: "POST",
        url: urlOf(route),
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: `ot_session=${session}; ot_csrf=${pair.cookie}`,
        },
        payload: new URLSearchParams({ _csrf: pair.token, ...FIELDS[route] }).toString(),
      });
      // /prefs goes back either way, but changes nothing when refused; the download has its own words.
      const expired = route === "/secret/download" ? en("download.expired") : en("form.error.expired");
      const refused =
        route === "/prefs"
          ? res.statusCode === 303 && res.cookies.every((c) => c.name !== "ot_locale")
          : res.statusCode === 403 && res.body.includes(expired.replaceAll("'", "&#39;"));
      if (!refused) accepted.push(`${route} (${who}): ${res.statusCode}`);
    }
  }
  assert.deepEqual(accepted, [], "forms that took a planted pair");

  // The victim's own pair still works, and is refused when the post comes from a sibling subdomain.
  await victim.get("/account");
  const sibling = await victim.post("/account/language", { locale: "fr" }, { "sec-fetch-site": "same-site" });
  assert.equal(sibling.statusCode, 403, "a same-site (sibling subdomain) post is refused");
  await victim.get("/account");
  assert.equal((await victim.post("/account/language", { locale: "fr" })).statusCode, 303);
  assert.equal((await victim.get("/account")).statusCode, 200, "the victim is still signed in");
});
