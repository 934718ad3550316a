// The header's language menu in real Chromium, by keyboard and for screen readers (issue 17): its
// name and its button's come from their labels; an arrow key on the closed menu changes the choice
// but leaves the page (WCAG 3.2.2), and the button, reached with Tab and pressed with Enter, confirms
// it, with and without JavaScript. A switch on a page whose fragment holds a key (a browser-encrypted
// secret's confirmation page, a requester page) comes back with the fragment, and the secret still
// opens to its exact text; the theme button does not lose it either.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, createSecret, h1, reveal } from "./support/browser.js";
import { en, fr, messages } from "./support/web-server.js";

const suite = browserSuite({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
const { person } = suite;

const lang = (page: Page) => page.evaluate(() => document.documentElement.lang);
const isFocused = (page: Page, role: "combobox" | "button", name: string) =>
  page.getByRole(role, { name, exact: true }).evaluate((el) => el === document.activeElement);

/** Every POST to /prefs the page sends from now on. */
function prefsPosts(page: Page): string[] {
  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST" && new URL(r.url()).pathname === "/prefs") posts.push(r.postData() ?? "");
  });
  return posts;
}

/** Presses Tab until the language menu has the focus. */
async function tabToMenu(page: Page): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(() => document.activeElement?.id === "language-menu")) return;
  }
  assert.fail("Tab never reached the language menu");
}

for (const javaScriptEnabled of [true, false]) {
  const mode = javaScriptEnabled ? "with JavaScript" : "without JavaScript";
  test(`${mode}: an arrow key on the menu changes nothing until its button confirms by keyboard`, async () => {
    const page = await person({ locale: "en-US", javaScriptEnabled });
    const posts = prefsPosts(page);
    await page.goto(`${suite.server.base}/`);
    assert.equal(await lang(page), "en");

    await tabToMenu(page);
    // Named by its visible label, as a screen reader announces it; its button by its text.
    assert.ok(await isFocused(page, "combobox", en("layout.language")), "the menu's name");
    assert.match(
      await page.locator("form.switch.language").ariaSnapshot(),
      new RegExp(`combobox "${en("layout.language")}"[^]*button "${en("layout.language.submit")}"`),
    );
    // A mark in this document: a navigation would take it away.
    if (javaScriptEnabled) {
      await page.evaluate(() => {
        const w = window as unknown as { submits: number };
        w.submits = 0;
        window.addEventListener("submit", () => w.submits++, true);
      });
    }

    await page.keyboard.press("ArrowDown");
    // One round trip after the key: the choice moved, yet this is still the same English document,
    // no form was submitted and nothing was posted.
    const after = await page.evaluate(() => ({
      value: (document.getElementById("language-menu") as HTMLSelectElement).value,
      lang: document.documentElement.lang,
      path: location.pathname,
      submits: (window as unknown as { submits?: number }).submits,
    }));
    const chosen = after.value;
    assert.notEqual(chosen, "en", "ArrowDown moved the choice on the closed menu");
    assert.deepEqual(
      { lang: after.lang, path: after.path, submits: after.submits },
      { lang: "en", path: "/", submits: javaScriptEnabled ? 0 : undefined },
    );
    assert.deepEqual(posts, [], "the arrow key posted nothing");
    assert.ok(await isFocused(page, "combobox", en("layout.language")), "the focus stayed on the menu");

    // Confirm: Tab to the button, then Enter.
    await page.keyboard.press("Tab");
    assert.ok(await isFocused(page, "button", en("layout.language.submit")), "the button's name");
    await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
    const t = messages(chosen);
    assert.equal(await lang(page), chosen);
    assert.equal(await h1(page), t("home.title"));
    assert.ok(await page.getByRole("combobox", { name: t("layout.language"), exact: true }).isVisible());
    assert.equal(posts.length, 1, "one post: the button's");
    assert.match(posts[0] ?? "", new RegExp(`(^|&)locale=${chosen}(&|$)`));
  });
}

test("a browser-encrypted secret's confirmation page keeps its key through the language and theme switches", async () => {
  const page = await person({ locale: "en-US" });
  const posts = prefsPosts(page);
  const secret = "exact  text: ünïcode ✓\n\ttabbed line\nlast";
  const { shareUrl } = await createSecret(page, suite.server.base, { text: secret });
  const key = new URL(shareUrl).hash.slice(1);
  assert.ok(key.length > 20, "a browser-encrypted link carries its key in the fragment");
  await page.goto(shareUrl);

  // The theme saves in the background: the address keeps the fragment.
  await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/prefs"),
    page.click("button[data-theme-next]"),
  ]);
  assert.equal(await page.evaluate(() => location.href), shareUrl);

  // The language, by keyboard: choose French, then the button.
  await page.focus("#language-menu");
  await page.selectOption("#language-menu", "fr");
  assert.equal(await lang(page), "en", "choosing alone does not leave the page");
  await page.keyboard.press("Tab");
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  assert.equal(await lang(page), "fr");
  assert.equal(await h1(page), fr("secret.title"));
  assert.equal(page.url(), shareUrl, "back on the same page, fragment included");
  assert.equal(await page.locator("html").getAttribute("data-theme"), "dark", "the theme was saved");
  assert.equal(posts.length, 2);
  assert.ok(!posts.some((p) => p.includes(key)), "the key is in no request");

  // The reveal still finds its key: the exact text, as the page holds it.
  await reveal(page, shareUrl);
  assert.equal(
    await page.locator("#revealed").evaluate((el) => (el as HTMLTextAreaElement).defaultValue),
    secret,
  );
  assert.equal(await h1(page), fr("revealed.title"));
});

test("a requester page keeps its private key through the language switch and still opens the answer", async () => {
  const requester = await person({ locale: "en-US" });
  await requester.goto(`${suite.server.base}/signup`);
  await requester.fill("#email", "switcher@example.com");
  await requester.fill("#password", "correct horse battery");
  await Promise.all([
    requester.waitForURL(/\/dashboard/),
    requester.click("form.account-form button.primary"),
  ]);
  await requester.fill("#request-note", "the switch");
  await requester.click("form[data-request-new] button[type=submit]");
  await requester.waitForSelector("#request-links:not([hidden])");
  const requestLink = await requester.inputValue("#request-link");
  const requesterLink = await requester.inputValue("#requester-link");

  const sender = await person();
  await sender.goto(requestLink);
  const secret = "answer ünïcode\nline two";
  await sender.fill("#answer-text", secret);
  await sender.click("form[data-request-answer] button[type=submit]");
  await sender.waitForSelector("#answer-sent:not([hidden])");

  await requester.goto(requesterLink);
  await requester.selectOption("#language-menu", "fr");
  await Promise.all([requester.waitForEvent("load"), requester.click("form.switch.language button")]);
  assert.equal(await lang(requester), "fr");
  assert.equal(await h1(requester), fr("request.requester.title"));
  assert.equal(requester.url(), requesterLink, "back on the same page, fragment included");
  await requester.click("button[data-open-answer]");
  await requester.waitForSelector(".answer-text:not([hidden])");
  assert.equal(await requester.inputValue(".answer-text"), secret);
});
