// Single sign-on in a real browser (Debian chromium through Playwright) against a real OpenID
// Provider on loopback (oidc-provider, its development login screen): the whole redirect flow to a
// signed-in dashboard, an API token made on the account page that works on v1 and whose secrets the
// dashboard lists, and a refusal shown as a page.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { h1, launchBrowser, people, text } from "./support/browser.js";
import { type SsoSetup, startSso } from "./support/oidc-flow.js";
import { en } from "./support/web-server.js";

let sso: SsoSetup;
let browser: Browser;
const { person, done } = people(() => browser);

before(async () => {
  sso = await startSso(
    {
      carol: { email: "carol@corp.example", email_verified: true, groups: ["staff"] },
      dave: { email: "dave@elsewhere.example", email_verified: true },
    },
    { OIDC_ALLOWED_DOMAINS: "corp.example" },
  );
  browser = await launchBrowser();
});
after(async () => {
  await done();
  await browser?.close();
  await sso?.close();
});

/** A person in a fresh context; the provider's screen asks a web font this machine cannot reach. */
async function visitor(): Promise<Page> {
  const page = await person();
  await page
    .context()
    .route(/fonts\.googleapis\.com/, (route) =>
      route.fulfill({ status: 200, contentType: "text/css", body: "" }),
    );
  return page;
}

/** From the sign-in page: the button, the provider's login screen, and back. */
async function signInWithProvider(page: Page, login: string): Promise<void> {
  await page.goto(`${sso.server.base}/signin`);
  await page.click(`a.sso >> text=${en("sso.button", { name: "Test ID" })}`);
  await page.waitForSelector('input[name="login"]');
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', "any password");
  await Promise.all([
    page.waitForURL((url) => url.origin === sso.server.base && url.pathname !== "/signin/oidc"),
    page.click("button[type=submit]"),
  ]);
}

test("Sign in with the provider → the dashboard, signed in → an API token that works on v1 → listed", async () => {
  const page = await visitor();
  await signInWithProvider(page, "carol");
  assert.equal(new URL(page.url()).pathname, "/dashboard");
  assert.equal(await h1(page), en("dashboard.title"));

  await Promise.all([page.waitForURL(/\/account$/), page.click(`nav >> text=${en("nav.account")}`)]);
  await Promise.all([
    page.waitForURL(/\/account$/),
    page.click(`button >> text=${en("account.token.create")}`),
  ]);
  const token = await page.inputValue("#api-token");
  const authorization = `Basic ${Buffer.from(`carol@corp.example:${token}`).toString("base64")}`;
  const res = await fetch(`${sso.server.base}/api/v1/share`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ secret: "made with a single sign-on token", ttl: "3600" }),
  });
  assert.equal(res.status, 200);
  const made = (await res.json()) as { metadata_key: string; custid: string };
  assert.equal(made.custid, "carol@corp.example");
  const recent = await fetch(`${sso.server.base}/api/v1/private/recent`, { headers: { authorization } });
  assert.equal(recent.status, 200);
  assert.equal(((await recent.json()) as unknown[]).length, 1, "the token opens the account's list");

  await Promise.all([page.waitForURL(/\/dashboard$/), page.click(`nav >> text=${en("nav.dashboard")}`)]);
  assert.equal(await page.locator(`a[href="/receipt/${made.metadata_key}"]`).count(), 1, "listed");
});

test("an address outside OIDC_ALLOWED_DOMAINS ends on a page that says why, signed out", async () => {
  const page = await visitor();
  await signInWithProvider(page, "dave");
  assert.equal(await h1(page), en("sso.refused.title"));
  assert.equal(await text(page, "p.alert"), en("sso.refused.domain", { domains: "corp.example" }));
  const dashboard = await page.goto(`${sso.server.base}/dashboard`);
  assert.match(dashboard?.url() ?? "", /\/signin/);
});
