// Share domains in real Chromium: the create form's "Link domain" selector, chosen with the keyboard;
// with JavaScript (the secret encrypted in the browser, zero-knowledge on: the page script posts the
// choice with the ciphertext) and without, the receipt shows a link on the chosen host, and that
// link opens the secret when the browser follows it. Chromium resolves the share domain to this
// server (--host-resolver-rules), so the reveal really arrives with that Host; it treats that plain
// http origin as secure, as the HTTPS of a real deployment would be.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, people, reveal, text } from "./support/browser.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { en } from "./support/web-server.js";

const SHARE_HOST = "links.onetime.test";

let t: TestApp;
let browser: Browser;
let base: string;
let shareDomain: string;
const { person, done } = people(() => browser);

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  shareDomain = `${SHARE_HOST}:${port}`;
  t = await makeTestApp({
    HOST: `127.0.0.1:${port}`,
    SHARE_DOMAINS: shareDomain,
    RATE_LIMIT_ENABLED: "false",
    LOG_LEVEL: "info",
  });
  await t.app.listen({ port, host: "127.0.0.1" });
  browser = await launchBrowser([
    `--host-resolver-rules=MAP ${SHARE_HOST} 127.0.0.1`,
    // A real share domain is served over HTTPS; plain http on a name other than localhost is no
    // secure context, where the page script has no WebCrypto to open a browser-encrypted secret.
    `--unsafely-treat-insecure-origin-as-secure=http://${shareDomain}`,
  ]);
});
afterEach(() => done());
after(async () => {
  await browser?.close();
  await t?.close();
});

for (const javaScriptEnabled of [true, false]) {
  describe(`JavaScript ${javaScriptEnabled ? "on: encrypted in the browser" : "off: encrypted by the server"}`, () => {
    test("a domain picked with the keyboard makes the link on that host, and it opens there", async () => {
      const sender = await person({ javaScriptEnabled });
      await sender.goto(`${base}/`);
      const select = sender.locator("#share_domain");
      assert.equal(await text(sender, "label[for=share_domain]"), en("home.share_domain.label"));
      assert.equal(await select.inputValue(), `127.0.0.1:${new URL(base).port}`);
      const secret = `on the other host (${javaScriptEnabled ? "js" : "no js"})`;
      await sender.fill("#secret", secret);
      // From the lifetime, Tab reaches the selector; an arrow key picks the next host.
      await sender.focus("#ttl");
      await sender.keyboard.press("Tab");
      assert.equal(await sender.evaluate(() => document.activeElement?.id), "share_domain");
      await sender.keyboard.press("ArrowDown");
      assert.equal(await select.inputValue(), shareDomain);
      await sender.focus("form.create button.primary");
      await Promise.all([sender.waitForURL(/\/receipt\/[^/?]+/), sender.keyboard.press("Enter")]);

      const shareUrl = await sender.inputValue("#share-link");
      const link = new URL(shareUrl);
      assert.equal(link.host, shareDomain);
      assert.equal(link.hash !== "", javaScriptEnabled, "the key k in the fragment only when encrypted here");

      const reader = await person({ javaScriptEnabled });
      await reader.goto(shareUrl);
      assert.equal(new URL(reader.url()).host, shareDomain, "the browser stayed on the share domain");
      assert.equal(await reveal(reader, shareUrl), secret);
    });
  });
}
