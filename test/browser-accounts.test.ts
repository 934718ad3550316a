// Accounts in a real browser (Debian chromium through Playwright): sign up, make an API token on the
// account page, share through v1 with it from Node, find the secret on the dashboard, burn it from
// there, and the link is dead. One server and one browser for the file, a fresh context per person.
import assert from "node:assert/strict";
import { test } from "node:test";
import { browserSuite, h1, text } from "./support/browser.js";
import { en } from "./support/web-server.js";

const suite = browserSuite({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
const { person } = suite;

test("sign up → API token → v1 share with Basic auth → the dashboard lists it → burn from there → link dead", async () => {
  const page = await person();
  await page.goto(`${suite.server.base}/`);
  await Promise.all([page.waitForURL(/\/signup$/), page.click(`nav >> text=${en("nav.signup")}`)]);
  await page.fill("#email", "rita@example.com");
  await page.fill("#password", "correct horse battery");
  await Promise.all([page.waitForURL(/\/dashboard/), page.click("form.account-form button.primary")]);
  assert.equal(await h1(page), en("dashboard.title"));
  assert.equal(await text(page, "p.notice"), en("notice.welcome"));

  await Promise.all([page.waitForURL(/\/account$/), page.click(`nav >> text=${en("nav.account")}`)]);
  await Promise.all([
    page.waitForURL(/\/account$/),
    page.click(`button >> text=${en("account.token.create")}`),
  ]);
  const token = await page.inputValue("#api-token");
  assert.match(token, /^[0-9a-z]{50}$/);
  await page.reload();
  assert.equal(await page.locator("#api-token").count(), 0, "shown once");

  const authorization = `Basic ${Buffer.from(`rita@example.com:${token}`).toString("base64")}`;
  const res = await fetch(`${suite.server.base}/api/v1/share`, {
    method: "POST",
    headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ secret: "made by a script", ttl: "3600" }),
  });
  assert.equal(res.status, 200);
  const made = (await res.json()) as { metadata_key: string; secret_key: string };

  await Promise.all([page.waitForURL(/\/dashboard$/), page.click(`nav >> text=${en("nav.dashboard")}`)]);
  const row = page.locator("table.receipts tbody tr", {
    has: page.locator(`a[href="/receipt/${made.metadata_key}"]`),
  });
  assert.equal(await row.count(), 1, "the dashboard lists the API's secret");
  await Promise.all([page.waitForURL(/\/burn\?next=/), row.locator("a.danger").click()]);
  assert.equal(await h1(page), en("burn.title"));
  await Promise.all([
    page.waitForURL(/\/dashboard$/),
    page.click(`button.danger >> text=${en("burn.confirm")}`),
  ]);
  assert.equal(await row.locator(".badge.state-burned").count(), 1);
  assert.equal(await row.locator("a.danger").count(), 0);

  const reader = await person();
  const dead = await reader.goto(`${suite.server.base}/secret/${made.secret_key}`);
  assert.equal(dead?.status(), 404);
  assert.equal(await h1(reader), en("unavailable.title"));

  await Promise.all([
    page.waitForURL(/\/\?notice=signed_out$/),
    page.click(`nav button >> text=${en("nav.signout")}`),
  ]);
  assert.equal(await text(page, "p.notice"), en("notice.signed_out"));
  assert.equal(await page.locator(`nav >> text=${en("nav.signin")}`).count(), 1);
});
