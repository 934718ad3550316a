// Burning a secret that has a passphrase, in a real browser: its signed-in creator burns it without
// the passphrase (they may have forgotten it); anyone else holding the receipt link needs it, as
// upstream, and the page says which rule applies. The v1 API keeps upstream's rule for everyone.
// The creators here post the plain form (no script), so that the server encrypts and can check the
// passphrase; a secret encrypted in the browser is burned by its receipt link alone (browser-zk).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, createSecret, h1, text } from "./support/browser.js";
import { en } from "./support/web-server.js";

const suite = browserSuite({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
const { person } = suite;
const PASSWORD = "correct horse battery";

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto(`${suite.server.base}/signup`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(/\/dashboard/), page.click("form.account-form button.primary")]);
}

/** Whether the secret behind `shareUrl` can still be opened (a GET consumes nothing). */
async function alive(page: Page, shareUrl: string): Promise<boolean> {
  const res = await page.goto(shareUrl);
  return res?.status() === 200;
}

async function confirmBurn(page: Page): Promise<void> {
  await Promise.all([page.waitForURL(/\/receipt\/[^/]+$/), page.click("button.danger")]);
}

test("the signed-in creator burns without the passphrase; the page says why", async () => {
  const owner = await person({ javaScriptEnabled: false });
  await signUp(owner, "forgetful@example.com");
  const made = await createSecret(owner, suite.server.base, { text: "x", passphrase: "long forgotten" });
  await Promise.all([owner.waitForURL(/\/burn$/), owner.click("a.button.danger")]);
  assert.equal(await h1(owner), en("burn.title"));
  assert.equal(await owner.locator("#passphrase").count(), 0, "no passphrase asked");
  assert.equal(await text(owner, ".burn-owner"), en("burn.owner"));
  await confirmBurn(owner);
  assert.equal(await h1(owner), en("receipt.title.burned"));
  assert.equal(await alive(await person(), made.shareUrl), false);
});

test("anyone else with the receipt link needs the passphrase, signed in or not; a wrong one burns nothing", async () => {
  const owner = await person({ javaScriptEnabled: false });
  await signUp(owner, "maker@example.com");
  const made = await createSecret(owner, suite.server.base, { text: "y", passphrase: "the right one" });

  const other = await person();
  await signUp(other, "someone-else@example.com");
  for (const holder of [await person(), other]) {
    await holder.goto(`${made.receiptUrl}/burn`);
    assert.equal(await holder.locator("#passphrase").getAttribute("required"), "");
    assert.equal(await holder.locator(".burn-owner").count(), 0);
    assert.equal(
      await text(holder, "#burn-rule"),
      `${en("burn.passphrase.rule")} ${en("burn.passphrase.signin")}`,
    );
    await holder.fill("#passphrase", "a wrong guess");
    await holder.click("button.danger");
    await holder.waitForSelector("p.alert");
    assert.equal(await text(holder, "p.alert"), en("form.error.wrong_passphrase"));
    assert.equal(await alive(holder, made.shareUrl), true, "still there");
  }
  await other.goto(`${made.receiptUrl}/burn`);
  await other.fill("#passphrase", "the right one");
  await confirmBurn(other);
  assert.equal(await h1(other), en("receipt.title.burned"));
});

test("the v1 API keeps upstream's rule: even its owner's token needs the passphrase", async () => {
  const owner = await person();
  await signUp(owner, "scripted@example.com");
  await owner.goto(`${suite.server.base}/account`);
  await Promise.all([
    owner.waitForURL(/\/account$/),
    owner.click(`button >> text=${en("account.token.create")}`),
  ]);
  const token = await owner.inputValue("#api-token");
  const authorization = `Basic ${Buffer.from(`scripted@example.com:${token}`).toString("base64")}`;
  const api = (path: string, body: Record<string, string>) =>
    fetch(`${suite.server.base}/api/v1${path}`, {
      method: "POST",
      headers: { authorization, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body),
    });
  const made = (await (await api("/share", { secret: "z", passphrase: "pw", ttl: "3600" })).json()) as {
    metadata_key: string;
    secret_key: string;
  };
  const refused = await api(`/private/${made.metadata_key}/burn`, {});
  assert.equal(refused.headers.get("x-ots-intended-status"), "403");
  assert.equal(await alive(owner, `${suite.server.base}/secret/${made.secret_key}`), true);
  // The same owner on the web, signed in, burns it without.
  await owner.goto(`${suite.server.base}/receipt/${made.metadata_key}/burn`);
  assert.equal(await owner.locator("#passphrase").count(), 0);
  await confirmBurn(owner);
  assert.equal(await alive(owner, `${suite.server.base}/secret/${made.secret_key}`), false);
});
