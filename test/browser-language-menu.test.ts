// The header's language menu in real Chromium, by keyboard and for screen readers (issue 17): its
// name and its button's come from their labels; an arrow key on the closed menu changes the choice
// but leaves the page (WCAG 3.2.2), and the button, reached with Tab and pressed with Enter, confirms
// it, with and without JavaScript.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, h1 } from "./support/browser.js";
import { en, messages } from "./support/web-server.js";

const suite = browserSuite();
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
