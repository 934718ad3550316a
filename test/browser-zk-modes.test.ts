// The operator's switch seen from the pages, in real Chromium: ZERO_KNOWLEDGE=off leaves the page
// script out of it (the server encrypts, the link has no fragment); ZERO_KNOWLEDGE=required refuses the
// plain form with a clear line while the page script still creates, generated passwords included.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { browserSuite, createSecret, fileBrowser, reveal, text } from "./support/browser.js";
import { en } from "./support/web-server.js";

// One Chromium for both modes; each has its own server.
const chromium = fileBrowser();

describe("ZERO_KNOWLEDGE=off", () => {
  const suite = browserSuite({ ZERO_KNOWLEDGE: "off" }, {}, chromium);

  test("with JavaScript on, the server encrypts as before and the receipt says so", async () => {
    const sender = await suite.person();
    const posted: string[] = [];
    sender.on("request", (r) => {
      if (r.method() === "POST") posted.push(r.postData() ?? "");
    });
    const made = await createSecret(sender, suite.server.base, { text: "server side" });
    assert.doesNotMatch(made.shareUrl, /#/);
    assert.equal(await text(sender, "dd.encryption"), en("receipt.encryption.server"));
    assert.equal(posted.length, 1);
    // The plain form's body (multipart, for its file input) with the text in it.
    assert.match(posted[0] ?? "", /name="secret"\r\n\r\nserver side\r\n/);
    assert.doesNotMatch(posted[0] ?? "", /zk_/);
    assert.equal(await reveal(await suite.person(), made.shareUrl), "server side");
  });
});

describe("ZERO_KNOWLEDGE=required", () => {
  const suite = browserSuite({ ZERO_KNOWLEDGE: "required" }, {}, chromium);

  test("the plain form is refused with a clear line; the page script creates, generated passwords too", async () => {
    const plain = await suite.person({ javaScriptEnabled: false });
    await plain.goto(`${suite.server.base}/`);
    await plain.fill("#secret", "refused in clear");
    await plain.click("form.create button.primary");
    assert.equal(await text(plain, "#form-error"), en("form.error.zero_knowledge_required"));

    const sender = await suite.person();
    const made = await createSecret(sender, suite.server.base, { text: "sealed here" });
    assert.match(made.shareUrl, /#[A-Za-z0-9_-]{43}$/);
    assert.equal(await reveal(await suite.person(), made.shareUrl), "sealed here");

    await sender.goto(`${suite.server.base}/`);
    await sender.check("#mode-generate");
    await Promise.all([sender.waitForURL(/\/receipt\//), sender.click("form.create button.primary")]);
    const password = await sender.inputValue("#generated");
    assert.match(password, /^\S{12}$/);
    const link = await sender.inputValue("#share-link");
    assert.equal(await reveal(await suite.person(), link), password);
  });
});
