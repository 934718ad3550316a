// Secret requests on the web (docs/requests.md), in real Chromium: a signed-in requester makes a
// request on the dashboard (the key pair made in the page), an anonymous sender answers it from the
// request link (sealed in the page to the fragment's key), and the requester link opens the answer to
// the exact text; a wrong private key opens nothing and consumes nothing; the used-up request link
// says so; without JavaScript the request page explains it needs it.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { encodeRequestKey, newRequesterKeys } from "../src/crypto/request-key.js";
import { browserSuite } from "./support/browser.js";
import { en } from "./support/web-server.js";

const suite = browserSuite({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
const { person } = suite;

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto(`${suite.server.base}/signup`);
  await page.fill("#email", email);
  await page.fill("#password", "correct horse battery");
  await Promise.all([page.waitForURL(/\/dashboard/), page.click("form.account-form button.primary")]);
}

/** Makes a request on the dashboard; returns the request link and the requester link. */
async function makeRequest(page: Page, note: string): Promise<{ request: string; requester: string }> {
  await page.goto(`${suite.server.base}/dashboard`);
  await page.fill("#request-note", note);
  await page.click("form[data-request-new] button[type=submit]");
  await page.waitForSelector("#request-links:not([hidden])");
  return {
    request: await page.inputValue("#request-link"),
    requester: await page.inputValue("#requester-link"),
  };
}

test("a request answered anonymously opens only with the requester's key, and its used-up link says so", async () => {
  const requester = await person();
  await signUp(requester, "asker@example.com");
  const seen: string[] = [];
  requester.on("request", (r) => seen.push(`${r.url()}\n${r.postData() ?? ""}`));
  const note = "the staging <b>DB</b> password";
  const links = await makeRequest(requester, note);
  assert.match(links.request, /\/request\/[^/#]+#[A-Za-z0-9_-]{87}$/);
  assert.match(links.requester, /\/requester\/[^/#]+#[A-Za-z0-9_-]{128}$/);
  const privateKey = links.requester.split("#")[1] as string;
  assert.ok(!seen.some((s) => s.includes(privateKey)), "the private key never left the page");

  const sender = await person();
  await sender.goto(links.request);
  assert.equal((await sender.textContent("#request-note"))?.trim(), note);
  const secret = "hunter2 ünïcode\nsecond line";
  await sender.fill("#answer-text", secret);
  await sender.click("form[data-request-answer] button[type=submit]");
  await sender.waitForSelector("#answer-sent:not([hidden])");

  // Used up (one answer): the link says so, and shows nothing but the note.
  await sender.reload();
  assert.equal((await sender.textContent("#request-state"))?.trim(), en("request.state.used"));
  assert.equal(await sender.locator("form[data-request-answer]").count(), 0);

  // The requester's dashboard lists the request (escaped note, linked without the private key) with
  // its one answer's receipt: short id, state.
  await requester.goto(`${suite.server.base}/dashboard`);
  const item = requester.locator(".request-item");
  assert.equal(await item.count(), 1);
  assert.equal((await item.locator(".request-note").textContent())?.trim(), note);
  const href = (await item.locator(".request-note").getAttribute("href")) as string;
  assert.equal(new URL(href, suite.server.base).pathname, new URL(links.requester).pathname);
  assert.ok(!href.includes("#"), "the dashboard does not hold the private key");
  assert.equal(
    (await item.locator(".request-count").textContent())?.trim(),
    en("request.requester.used", { used: 1, max: 1 }),
  );
  assert.equal(
    (await item.locator(".request-state-used").textContent())?.trim(),
    en("dashboard.requests.state.used"),
  );
  const receipt = item.locator(".request-receipts li");
  assert.equal(await receipt.count(), 1);
  assert.match((await receipt.locator(".mono").textContent()) ?? "", /^\S{10}$/);
  assert.equal((await receipt.locator(".badge").textContent())?.trim(), en("state.new"));
  assert.equal(await receipt.locator(".read-times").count(), 0);

  // A wrong private key (a valid pair's) derives another key: the server refuses it, nothing is used.
  const wrong = encodeRequestKey((await newRequesterKeys()).privateKey);
  const manage = links.requester.split("#")[0] as string;
  await requester.goto(`${manage}#${wrong}`);
  await requester.click("button[data-open-answer]");
  await requester.waitForSelector(".request-answer-item .alert");
  assert.equal(
    (await requester.textContent(".request-answer-item .alert"))?.trim(),
    en("request.open_failed"),
  );
  assert.equal(await requester.locator(".answer-text:not([hidden])").count(), 0);

  await requester.goto(`${suite.server.base}/dashboard`);
  await requester.goto(links.requester);
  await requester.click("button[data-open-answer]");
  await requester.waitForSelector(".answer-text:not([hidden])");
  assert.equal(await requester.inputValue(".answer-text"), secret);

  // Read: the dashboard's receipt says so, with when.
  await requester.goto(`${suite.server.base}/dashboard`);
  const read = requester.locator(".request-receipts li");
  assert.equal(await read.locator(".badge.state-received").count(), 1);
  assert.equal(await read.locator(".read-times time").count(), 1);
});

test("the request page explains it needs JavaScript, and a closed request says so", async () => {
  const requester = await person();
  await signUp(requester, "closer@example.com");
  const links = await makeRequest(requester, "the VPN key");
  const noScript = await person({ javaScriptEnabled: false });
  await noScript.goto(links.request);
  assert.ok((await noScript.textContent("main"))?.includes(en("request.needs_js")));

  await requester.goto(links.requester);
  await Promise.all([requester.waitForURL(/\/requester\//), requester.click("form.request-close button")]);
  await requester.waitForSelector("#request-state");
  const sender = await person();
  await sender.goto(links.request);
  assert.equal((await sender.textContent("#request-state"))?.trim(), en("request.state.closed"));
});
