// The dashboard on a phone (390 px, as an iPhone 12–15 shows pages), in every language: nothing
// scrolls sideways, each secret fits its box, its dates stay on one line, and the Receipt and Burn
// actions are on screen and work by touch. Real chromium; the mail column holds the longest text
// it can (a delivery that failed, with the SMTP server's error).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, createSecret, h1 } from "./support/browser.js";
import { freePort } from "./support/ports.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";
import { messages } from "./support/web-server.js";
import { mailEnv, mailWorkerFor } from "./support/web-support.js";

const smtpPort = await freePort();
const suite = browserSuite({
  AUTH_SIGNUP: "true",
  AUTH_AUTOVERIFY: "true",
  ...mailEnv(smtpPort),
  MAIL_MAX_ATTEMPTS: "1",
});
const { person } = suite;
let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp(smtpPort, { rejectRecipients: true });
});
after(() => smtp.close());

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const LOCALES = ["en", "fr"];

/** Signs up through the form; the browser is then signed in. */
async function signUp(page: Page, email: string): Promise<void> {
  await page.goto(`${suite.server.base}/signup`);
  await page.fill("#email", email);
  await page.fill("#password", "correct horse battery");
  await Promise.all([page.waitForURL(/\/dashboard/), page.click("form.account-form button.primary")]);
}

interface Measured {
  pageWidth: number;
  viewport: number;
  wrap: { scroll: number; client: number; right: number };
  rows: {
    right: number;
    actions: { left: number; right: number; visible: boolean }[];
    /** Line boxes of each date: 1 when it stays on one line. */
    dateLines: number[];
  }[];
}

// A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
const MEASURE = `(() => {
  const box = (el) => el.getBoundingClientRect();
  const wrap = document.querySelector(".table-wrap");
  const rows = [...document.querySelectorAll("table.receipts tbody tr")];
  return {
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    wrap: { scroll: wrap.scrollWidth, client: wrap.clientWidth, right: box(wrap).right },
    rows: rows.map((row) => ({
      right: box(row).right,
      actions: [...row.querySelectorAll(".row-actions a")].map((a) => ({
        left: box(a).left,
        right: box(a).right,
        visible: box(a).width > 0 && getComputedStyle(a).visibility === "visible",
      })),
      dateLines: [...row.querySelectorAll("time")].map((time) => time.getClientRects().length),
    })),
  };
})()`;

/** Everything the layout check needs, measured in the page. */
const measure = (page: Page) => page.evaluate(MEASURE) as Promise<Measured>;

test("at 390 px the dashboard fits the screen in every language, actions on screen", async () => {
  const page = await person(PHONE);
  await signUp(page, "phone@example.com");
  // A burned one, a live one with a passphrase, and one mailed to a long address that bounced.
  const burned = await createSecret(page, suite.server.base, { text: "gone soon" });
  await page.goto(`${burned.receiptUrl}/burn`);
  await Promise.all([page.waitForURL(/\/receipt\//), page.click("button.danger")]);
  await createSecret(page, suite.server.base, { text: "with a passphrase", passphrase: "pass" });
  await page.goto(`${suite.server.base}/`);
  await page.fill("#secret", "for a colleague");
  await page.fill("#recipient", "a.very.long.mailbox.name@subsidiary.example.org");
  await Promise.all([page.waitForURL(/\/receipt\//), page.click("form.create button.primary")]);
  assert.equal(await mailWorkerFor(suite.server.t.deps).drain(), 1);

  for (const locale of LOCALES) {
    const t = messages(locale);
    await page.goto(`${suite.server.base}/dashboard?locale=${locale}`);
    assert.equal(await h1(page), t("dashboard.title"));
    assert.equal(await page.locator(".mail-failed").count(), 1, "the bounced mail is listed");
    const m = await measure(page);
    assert.equal(m.viewport, 390);
    assert.ok(m.pageWidth <= 390, `${locale}: the page is ${m.pageWidth} px wide`);
    assert.ok(
      m.wrap.scroll <= m.wrap.client,
      `${locale}: the list is ${m.wrap.scroll} px in ${m.wrap.client}`,
    );
    assert.equal(m.rows.length, 3);
    for (const [i, row] of m.rows.entries()) {
      assert.ok(
        row.right <= m.wrap.right,
        `${locale} row ${i}: ends at ${row.right} px, its box at ${m.wrap.right}`,
      );
      assert.ok(row.actions.length >= 1, `${locale} row ${i}: has its actions`);
      for (const a of row.actions) {
        assert.ok(a.visible && a.left >= 0 && a.right <= 390, `${locale} row ${i}: action on screen`);
      }
      assert.deepEqual(
        row.dateLines,
        row.dateLines.map(() => 1),
        `${locale} row ${i}: dates on one line`,
      );
    }
    const burnButtons = page.locator("table.receipts a.danger");
    assert.equal(await burnButtons.count(), 2, "Burn on the two live ones");
    assert.equal(await burnButtons.first().textContent(), t("dashboard.burn"));
  }

  // The actions work by touch.
  await page.locator("table.receipts a.danger").first().tap();
  await page.waitForURL(/\/burn\?/);
  await Promise.all([page.waitForURL(/\/dashboard/), page.locator("button.danger").tap()]);
  assert.equal(await page.locator("table.receipts a.danger").count(), 1);
});
