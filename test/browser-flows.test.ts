// The secret's life in a real browser (Debian chromium through Playwright): create, share, confirm,
// reveal, burn, generate; bots that fetch the link first; a wrong passphrase; the same without
// JavaScript. One server and one browser for the file, a fresh context (cookies, cache) per person.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, createSecret, h1, reveal, text } from "./support/browser.js";
import { en } from "./support/web-server.js";

const suite = browserSuite();
const { person } = suite;

async function assertUnavailable(page: Page, url: string): Promise<void> {
  // From elsewhere: going from a revealed secret's own address to its link with the key would only
  // move to the fragment, in the same document.
  await page.goto("about:blank");
  const res = await page.goto(url);
  assert.equal(res?.status(), 404);
  assert.equal(await h1(page), en("unavailable.title"));
  assert.equal(await page.locator("#revealed").count(), 0);
}

test("create, open the link elsewhere, confirm (reloads consume nothing), reveal once", async () => {
  const sender = await person();
  const secret = "correct horse battery staple\nline two: <b>&amp;</b> ünïcode ✓";
  const { shareUrl, receiptUrl } = await createSecret(sender, suite.server.base, { text: secret });
  assert.equal(await h1(sender), en("receipt.title.live"));
  // Encrypted in the browser: the link carries its key k in the fragment (test/browser-zk.test.ts).
  assert.match(shareUrl, new RegExp(`^${suite.server.base}/secret/[^/?#]+#[A-Za-z0-9_-]{43}$`));
  // The receipt page itself marks the receipt viewed (as upstream does): it waits to be read.
  assert.equal(await text(sender, ".badge"), en("state.viewed"));

  const recipient = await person();
  for (let i = 0; i < 3; i++) {
    const res = i === 0 ? await recipient.goto(shareUrl) : await recipient.reload();
    assert.equal(res?.status(), 200);
    assert.equal(res?.headers()["cache-control"], "no-store");
    assert.equal(await h1(recipient), en("secret.title"));
    assert.equal(await text(recipient, ".lead"), en("secret.lead"));
    assert.match(en("secret.lead"), /only once/);
    assert.equal(await recipient.locator("#revealed").count(), 0);
  }
  assert.equal(await reveal(recipient, shareUrl), secret);
  assert.equal(await h1(recipient), en("revealed.title"));
  assert.equal(await text(recipient, "p.notice"), `${en("revealed.views.last")} ${en("revealed.destroyed")}`);
  assert.equal(await recipient.locator("#revealed").getAttribute("readonly"), "");

  await assertUnavailable(recipient, shareUrl);
  await assertUnavailable(await person(), shareUrl);
  await sender.goto(receiptUrl);
  assert.equal(await h1(sender), en("receipt.title.received"));
  assert.equal(await sender.locator("#share-link").count(), 0);
});

test("link previews (GET and HEAD by Slackbot, facebookexternalhit, curl) consume nothing", async () => {
  const sender = await person();
  const secret = "previewed but not read";
  const { shareUrl } = await createSecret(sender, suite.server.base, { text: secret });
  const agents = [
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "curl/8.5.0",
  ];
  for (const agent of agents) {
    for (const method of ["GET", "HEAD"]) {
      const res = await fetch(shareUrl, { method, headers: { "user-agent": agent } });
      assert.equal(res.status, 200, `${method} by ${agent}`);
      const body = await res.text();
      if (method === "GET") {
        assert.ok(body.includes(en("secret.title")), `${agent} sees the confirmation page`);
        assert.ok(!body.includes(secret), `${agent} does not see the secret`);
      } else assert.equal(body, "");
    }
  }
  await sender.reload();
  assert.equal(await h1(sender), en("receipt.title.live"));
  assert.equal(await text(sender, ".badge"), en("state.viewed"));
  const human = await person();
  assert.equal(await reveal(human, shareUrl), secret);
  await assertUnavailable(human, shareUrl);
});

test("a wrong passphrase says so and consumes nothing; the right one reveals", async () => {
  const sender = await person();
  const secret = "behind a passphrase";
  const { shareUrl, receiptUrl } = await createSecret(sender, suite.server.base, {
    text: secret,
    passphrase: "open sesame",
  });
  assert.equal(
    await sender.locator("dd", { hasText: en("receipt.passphrase.yes") }).count(),
    1,
    "the receipt says a passphrase is needed",
  );

  const recipient = await person();
  await recipient.goto(shareUrl);
  assert.equal(await recipient.locator("#passphrase").getAttribute("type"), "password");
  await recipient.fill("#passphrase", "open barley");
  await recipient.click("form.reveal button.primary");
  await recipient.waitForSelector("p.alert");
  // Encrypted in the browser: a wrong passphrase and a wrong key give the same refused proof.
  assert.equal(await text(recipient, "p.alert"), en("zk.reveal.wrong_passphrase"));
  assert.equal(await h1(recipient), en("secret.title"));
  assert.equal(await recipient.locator("#revealed").count(), 0);
  // Still there: a reload of the link shows the confirmation, and the receipt is still live.
  await recipient.goto(shareUrl);
  assert.equal(await h1(recipient), en("secret.title"));
  await sender.goto(receiptUrl);
  assert.equal(await h1(sender), en("receipt.title.live"));

  assert.equal(await reveal(recipient, shareUrl, "open sesame"), secret);
  await assertUnavailable(recipient, shareUrl);
});

test("burn from the receipt page: confirmation with the passphrase, then the link is dead", async () => {
  // Encrypted by the server (no script): the server can check the passphrase it was given. A
  // browser-encrypted secret's passphrase never reached it (test/browser-zk.test.ts).
  const sender = await person({ javaScriptEnabled: false });
  const { shareUrl, receiptUrl } = await createSecret(sender, suite.server.base, {
    text: "to be burned",
    passphrase: "burn me",
  });
  await sender.click("a.button.danger");
  await sender.waitForURL(/\/burn$/);
  assert.equal(await h1(sender), en("burn.title"));
  // Cancel goes back and burns nothing.
  await sender.click("a.button.ghost");
  await sender.waitForURL(receiptUrl);
  assert.equal(await h1(sender), en("receipt.title.live"));

  await sender.click("a.button.danger");
  await sender.fill("#passphrase", "wrong one");
  await sender.click("button.danger");
  await sender.waitForSelector("p.alert");
  assert.equal(await text(sender, "p.alert"), en("form.error.wrong_passphrase"));
  await sender.fill("#passphrase", "burn me");
  await Promise.all([sender.waitForURL(receiptUrl), sender.click("button.danger")]);
  assert.equal(await h1(sender), en("receipt.title.burned"));
  assert.equal(await sender.locator(".badge.state-burned").count(), 1);
  assert.ok((await text(sender, ".badge")).startsWith(en("state.burned", { date: "" })));
  assert.equal(await sender.locator("#share-link").count(), 0);
  assert.equal(await sender.locator("a.button.danger").count(), 0);

  await assertUnavailable(await person(), shareUrl);
});

test("generate a password: shown once on the receipt, revealed exactly by the link", async () => {
  const sender = await person();
  await sender.goto(`${suite.server.base}/`);
  assert.ok(await sender.locator("#secret").isVisible());
  assert.ok(!(await sender.locator(".generate-note").isVisible()));
  await sender.check("#mode-generate");
  assert.ok(!(await sender.locator("#secret").isVisible()), "the textarea is hidden in generate mode");
  assert.equal(await text(sender, ".generate-note"), en("home.generate.note", { count: 12 }));
  await Promise.all([sender.waitForURL(/\/receipt\//), sender.click("form.create button.primary")]);
  const password = await sender.inputValue("#generated");
  assert.equal(password.length, 12);
  assert.match(password, /^\S{12}$/);
  const shareUrl = await sender.inputValue("#share-link");

  await sender.reload();
  assert.equal(await h1(sender), en("receipt.title.live"));
  assert.equal(await sender.locator("#generated").count(), 0, "a reload no longer shows the password");
  assert.ok(!(await sender.content()).includes(password));

  assert.equal(await reveal(await person(), shareUrl), password);
});

test("without JavaScript: create, receipt, confirm, reveal, burn, generate all work", async () => {
  const noJs = { javaScriptEnabled: false };
  const sender = await person(noJs);
  const secret = "no script needed";
  const first = await createSecret(sender, suite.server.base, { text: secret, passphrase: "plain form" });
  assert.equal(await h1(sender), en("receipt.title.live"));
  assert.equal(await sender.locator("html.js").count(), 0);
  const copy = sender.locator("button[data-copy]");
  assert.equal(await copy.count(), 1);
  assert.ok(!(await copy.isVisible()), "the copy button needs JavaScript and is hidden");
  assert.ok(await sender.locator("svg.qr").isVisible(), "the QR code is drawn by the server");

  const recipient = await person(noJs);
  await recipient.goto(first.shareUrl);
  await recipient.fill("#passphrase", "nope");
  await recipient.click("form.reveal button.primary");
  assert.equal(await text(recipient, "p.alert"), en("form.error.wrong_passphrase"));
  assert.equal(await reveal(recipient, first.shareUrl, "plain form"), secret);
  assert.ok(!(await recipient.locator("button[data-copy]").isVisible()));
  await assertUnavailable(recipient, first.shareUrl);

  const second = await createSecret(sender, suite.server.base, { text: "burn without script" });
  await sender.click("a.button.danger");
  assert.equal(await h1(sender), en("burn.title"));
  await Promise.all([sender.waitForURL(second.receiptUrl), sender.click("button.danger")]);
  assert.equal(await h1(sender), en("receipt.title.burned"));
  await assertUnavailable(recipient, second.shareUrl);

  await sender.goto(`${suite.server.base}/`);
  assert.equal(await sender.locator("button[data-toggle-password]").isVisible(), false);
  await sender.check("#mode-generate");
  assert.ok(!(await sender.locator("#secret").isVisible()), "generate mode hides the textarea by CSS alone");
  await Promise.all([sender.waitForURL(/\/receipt\//), sender.click("form.create button.primary")]);
  const password = await sender.inputValue("#generated");
  assert.equal(password.length, 12);
  assert.equal(await reveal(recipient, await sender.inputValue("#share-link")), password);
});
