// View limits in real Chromium, with JavaScript (the secret encrypted in the browser, revealed by the
// page script) and without (the server encrypts and reveals): the create form's views field, bounded
// by the caller's ceiling; each reader told whether the link works again; the receipt's views and
// read times.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, reveal, text } from "./support/browser.js";
import { en } from "./support/web-server.js";

const suite = browserSuite({ VIEWS_MAX: "6", VIEWS_MAX_ANONYMOUS: "4", RATE_LIMIT_ENABLED: "false" });

/** Fills the form with `views` and submits it; returns the receipt page's address and share link. */
async function createWithViews(page: Page, secret: string, views: string) {
  await page.goto(`${suite.server.base}/`);
  await page.fill("#secret", secret);
  await page.fill("#views", views);
  await Promise.all([page.waitForURL(/\/receipt\/[^/?]+/), page.click("form.create button.primary")]);
  return { receiptUrl: page.url(), shareUrl: await page.inputValue("#share-link") };
}

for (const javaScriptEnabled of [true, false]) {
  describe(`JavaScript ${javaScriptEnabled ? "on: encrypted in the browser" : "off: encrypted by the server"}`, () => {
    test("the form's views field is bounded by the anonymous ceiling", async () => {
      const sender = await suite.person({ javaScriptEnabled });
      await sender.goto(`${suite.server.base}/`);
      const field = sender.locator("#views");
      assert.deepEqual(
        [await field.getAttribute("min"), await field.getAttribute("max"), await field.inputValue()],
        ["1", "4", "1"],
      );
      assert.equal(await text(sender, "#views-hint"), en("home.views.hint", { max: 4 }));
      // The browser itself refuses more than the ceiling: nothing is sent.
      await sender.fill("#secret", "too many");
      await sender.fill("#views", "5");
      await sender.click("form.create button.primary");
      assert.equal(await field.evaluate((el: HTMLInputElement) => el.validity.rangeOverflow), true);
      assert.match(sender.url(), /\/$/);
    });

    test("a 2-view link: the first reader is told it opens once more, the second that it was the last", async () => {
      const sender = await suite.person({ javaScriptEnabled });
      const secret = `for two readers (${javaScriptEnabled ? "js" : "no js"})`;
      const { receiptUrl, shareUrl } = await createWithViews(sender, secret, "2");
      assert.equal(
        shareUrl.includes("#"),
        javaScriptEnabled,
        "encrypted in the browser only with JavaScript",
      );
      assert.equal(await text(sender, "dd.views"), en("receipt.views.count", { used: 0, views: 2, left: 2 }));

      const first = await suite.person({ javaScriptEnabled });
      await first.goto(shareUrl);
      assert.equal(await text(first, ".lead"), en("secret.lead.views", { count: 2 }));
      assert.equal(await reveal(first, shareUrl), secret);
      assert.equal(await text(first, "#revealed-views"), en("revealed.views.one"));

      await sender.goto(receiptUrl);
      assert.equal(await text(sender, "dd.views"), en("receipt.views.count", { used: 1, views: 2, left: 1 }));
      assert.equal(await sender.locator("ol.read-times li").count(), 1);

      const second = await suite.person({ javaScriptEnabled });
      assert.equal(await reveal(second, shareUrl), secret);
      assert.equal(
        await text(second, "#revealed-views"),
        `${en("revealed.views.last")} ${en("revealed.destroyed")}`,
      );

      await sender.goto(receiptUrl);
      assert.equal(await text(sender, "dd.views"), en("receipt.views.count", { used: 2, views: 2, left: 0 }));
      assert.equal(await sender.locator("ol.read-times li").count(), 2);
      assert.equal(await sender.locator(".badge.state-received").count(), 1);

      const third = await suite.person({ javaScriptEnabled });
      await third.goto(shareUrl);
      assert.equal(await text(third, "h1"), en("unavailable.title"));
    });
  });
}
