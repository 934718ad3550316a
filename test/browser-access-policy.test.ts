// The access policy in real Chromium. READ_POLICY=signed-in: a browser-encrypted link opened signed
// out goes to the sign-in page with nothing consumed, and after a password sign-in (a wrong one
// first) comes back with its key, kept in the tab (web/keep-fragment.ts), and reveals the text; the
// key is in no request the browser made and in no line the server logged. CREATE_POLICY=signed-in:
// the home page asks to sign in instead of offering the form, and the APIs refuse anonymous shares.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, h1, reveal, text } from "./support/browser.js";
import { en } from "./support/web-server.js";

const suite = browserSuite({
  AUTH_SIGNUP: "true",
  AUTH_AUTOVERIFY: "true",
  READ_POLICY: "signed-in",
  CREATE_POLICY: "signed-in",
  LOG_LEVEL: "debug",
});
const { person } = suite;
const PASSWORD = "correct horse battery";
const LINK = /^(http:\/\/[^/]+(\/secret\/[^/?#]+))#([A-Za-z0-9_-]{43})$/;

async function signUp(page: Page, email: string): Promise<void> {
  await page.goto(`${suite.server.base}/signup`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(/\/dashboard/), page.click("form.account-form button.primary")]);
}

/** Every address, header and body the context's pages send from now on. */
function capture(page: Page): string[] {
  const seen: string[] = [];
  page.context().on("request", (req) => {
    seen.push(`${req.url()}\n${JSON.stringify(req.headers())}\n${req.postData() ?? ""}`);
  });
  return seen;
}

test("READ_POLICY=signed-in: a zero-knowledge link survives the sign-in, unread until then, its key never sent", async () => {
  const sender = await person();
  await signUp(sender, "sender@example.com");
  await sender.goto(`${suite.server.base}/`);
  await sender.fill("#secret", "for members only ✓");
  await Promise.all([sender.waitForURL(/\/receipt\//), sender.click("form.create button.primary")]);
  await sender.waitForFunction(() =>
    (document.getElementById("share-link") as HTMLInputElement).value.includes("#"),
  );
  const receiptUrl = sender.url();
  const match = LINK.exec(await sender.inputValue("#share-link"));
  assert.ok(match, "a browser-encrypted link with its key");
  const [link, bare, path, k] = match as unknown as [string, string, string, string];

  // The reader has an account, and opens the link signed out.
  await signUp(await person(), "reader@example.com");
  const reader = await person();
  const seen = capture(reader);
  await reader.goto(link);
  const signIn = new URL(reader.url());
  assert.equal(signIn.pathname, "/signin");
  assert.equal(signIn.searchParams.get("next"), path);
  assert.equal(signIn.hash, "", "the key left the sign-in page's address bar, kept in the tab");
  assert.equal(await text(reader, ".notice, [role=status]"), en("notice.signin_to_read"));

  // Nothing was looked at or spent: the receipt still waits.
  await sender.goto(receiptUrl);
  assert.equal(await h1(sender), en("receipt.title.live"));
  assert.ok(
    [en("state.new"), en("state.viewed")].includes(await text(sender, "dd .badge")),
    "new, or viewed by its creator only",
  );

  // A wrong password first (the form comes back from a POST), then the right one.
  await reader.fill("#email", "reader@example.com");
  await reader.fill("#password", "not the password");
  await Promise.all([reader.waitForLoadState("load"), reader.click("form.account-form button.primary")]);
  await reader.waitForSelector("#password");
  await reader.fill("#password", PASSWORD);
  await Promise.all([reader.waitForURL(`**${path}*`), reader.click("form.account-form button.primary")]);
  assert.equal(await h1(reader), en("secret.title"));
  assert.equal(await reader.evaluate(() => location.href), link, "the key is back in the address bar");
  assert.deepEqual(
    await reader.evaluate(() => Object.keys(sessionStorage).filter((s) => s.startsWith("onetime.next."))),
    [],
    "and no longer kept",
  );
  assert.equal(await reveal(reader, reader.url()), "for members only ✓");
  assert.equal(reader.url(), bare, "the key left the address bar after the reveal");

  assert.ok(
    seen.some((r) => r.startsWith(`${suite.server.base}/signin`)),
    "the requests were captured",
  );
  for (const request of seen) assert.ok(!request.includes(k), `the key is not in ${request.split("\n")[0]}`);
  const logs = suite.server.t.logs.join("");
  assert.ok(logs.includes('"path":"/signin"'), "the requests were logged");
  assert.ok(!logs.includes(k), "the key is not in the logs");

  await sender.goto(receiptUrl);
  assert.equal(await h1(sender), en("receipt.title.received"));
});

test("CREATE_POLICY=signed-in: the home page asks to sign in, and an anonymous share is refused", async () => {
  const visitor = await person();
  await visitor.goto(`${suite.server.base}/`);
  // READ_POLICY=signed-in on this server too: the lead says links need an account as well.
  assert.equal(await text(visitor, "p.lead"), en("home.required.lead_signed_in_read"));
  assert.equal(await visitor.locator("form.create, #secret").count(), 0, "no form to fill");
  assert.equal(await visitor.locator(`main a[href="/signin"]`).count(), 1);

  const v1 = await fetch(`${suite.server.base}/api/v1/share`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ secret: "anonymous" }),
  });
  assert.equal(v1.headers.get("x-ots-intended-status") ?? String(v1.status), "401");
  assert.deepEqual(await v1.json(), { message: "Not authorized" });
  const v2 = await fetch(`${suite.server.base}/api/v2/secret/conceal`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ secret: { secret: "anonymous" } }),
  });
  assert.equal(v2.status, 401);
  assert.equal(((await v2.json()) as { error_type: string }).error_type, "Unauthorized");
});
