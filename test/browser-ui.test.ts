// Language, theme and screen size in a real browser: French from the browser's language, from
// ?locale= and from the switcher (remembered by cookie); dark mode from the system and from the
// toggle (instant with JavaScript, by form without); a phone-width screen that never scrolls sideways.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, createSecret, h1, reveal, text } from "./support/browser.js";
import { en, fr } from "./support/web-server.js";

const suite = browserSuite();
const { person } = suite;

const lang = (page: Page) => page.locator("html").getAttribute("lang");

async function assertFrenchHome(page: Page): Promise<void> {
  assert.equal(await lang(page), "fr");
  assert.equal(await h1(page), fr("home.title"));
  assert.equal(await text(page, "form.create button.primary"), fr("home.submit"));
  assert.equal(await text(page, "label[for=ttl]"), fr("home.ttl.label"));
  assert.equal(await page.title(), `${fr("home.title")} · ${fr("site.name")}`);
  assert.equal(await page.inputValue("#language-menu"), "fr");
  assert.equal(await text(page, "#language-menu option:checked"), fr("meta.name"));
}

test("a French browser (fr-FR) gets every page in French, errors included", async () => {
  const sender = await person({ locale: "fr-FR" });
  await sender.goto(`${suite.server.base}/`);
  assert.equal(await sender.evaluate(() => navigator.language), "fr-FR");
  await assertFrenchHome(sender);
  // An error on the form, in French, with the form kept.
  await sender.fill("#passphrase", "x");
  await sender.click("form.create button.primary");
  assert.equal(await text(sender, "p.alert"), fr("form.error.nothing_to_share"));
  assert.equal(await lang(sender), "fr");

  const { shareUrl, receiptUrl } = await createSecret(sender, suite.server.base, {
    text: "un secret",
    passphrase: "sésame",
  });
  assert.equal(await h1(sender), fr("receipt.title.live"));
  assert.equal(await text(sender, ".badge"), fr("state.viewed"));
  assert.equal(await text(sender, "a.button.danger"), fr("receipt.burn"));
  assert.match(await text(sender, "time[data-countdown]"), /^dans \d+ jours?$/);

  const recipient = await person({ locale: "fr-FR" });
  await recipient.goto(shareUrl);
  assert.equal(await h1(recipient), fr("secret.title"));
  assert.equal(await text(recipient, "form.reveal button.primary"), fr("secret.reveal"));
  await recipient.fill("#passphrase", "mauvaise");
  await recipient.click("form.reveal button.primary");
  assert.equal(await text(recipient, "p.alert"), fr("zk.reveal.wrong_passphrase"));
  assert.equal(await reveal(recipient, shareUrl, "sésame"), "un secret");
  assert.equal(await h1(recipient), fr("revealed.title"));
  assert.equal(await text(recipient, "p.notice"), `${fr("revealed.views.last")} ${fr("revealed.destroyed")}`);
  // From elsewhere: from the revealed page's own address, the link would only move to its fragment.
  await recipient.goto("about:blank");
  await recipient.goto(shareUrl);
  assert.equal(await h1(recipient), fr("unavailable.title"));
  assert.equal(await lang(recipient), "fr");

  await sender.goto(`${receiptUrl}/burn`);
  assert.equal(await lang(sender), "fr");
  await sender.goto(receiptUrl);
  assert.equal(await h1(sender), fr("receipt.title.received"));
});

test("?locale=fr overrides the browser's English and follows the form through", async () => {
  const page = await person({ locale: "en-US" });
  await page.goto(`${suite.server.base}/?locale=fr`);
  await assertFrenchHome(page);
  await page.fill("#secret", "via la requête");
  await Promise.all([page.waitForURL(/\/receipt\/[^/?]+\?locale=fr$/), page.click("button.primary")]);
  assert.equal(await h1(page), fr("receipt.title.live"));
  // The query does not stick: without it (and without a cookie) the page is English again.
  await page.goto(`${suite.server.base}/`);
  assert.equal(await lang(page), "en");
  assert.equal(await h1(page), en("home.title"));
});

/** Chooses a language in the header's menu and confirms with its button. */
async function switchTo(page: Page, code: string): Promise<void> {
  await page.selectOption("#language-menu", code);
  await Promise.all([page.waitForEvent("load"), page.click("form.switch.language button")]);
}

test("the language switcher changes the page and is remembered on the next pages", async () => {
  const page = await person({ locale: "en-US" });
  await page.goto(`${suite.server.base}/`);
  assert.equal(await lang(page), "en");
  // A menu with a visible label; each language named in itself. Choosing, then its button, switches
  // (choosing alone does not: browser-language-menu.test.ts).
  assert.equal(await text(page, "label[for=language-menu]"), en("layout.language"));
  const french = page.locator("#language-menu option[value=fr]");
  assert.equal(await french.textContent(), fr("meta.name"));
  assert.equal(await french.getAttribute("lang"), "fr");
  await switchTo(page, "fr");
  await assertFrenchHome(page);
  const cookies = await page.context().cookies(suite.server.base);
  assert.equal(cookies.find((c) => c.name === "ot_locale")?.value, "fr");

  // Remembered: the next pages (the receipt, a fresh visit, a page with the switcher) are French.
  const { shareUrl, receiptUrl } = await createSecret(page, suite.server.base, { text: "bonjour" });
  assert.equal(await h1(page), fr("receipt.title.live"));
  await page.goto(shareUrl);
  assert.equal(await h1(page), fr("secret.title"));
  // Switching on the confirmation page comes back to it, key (fragment) included, and reveals nothing.
  await switchTo(page, "en");
  assert.equal(await h1(page), en("secret.title"));
  assert.equal(page.url(), shareUrl);
  await page.goto(receiptUrl);
  assert.equal(await h1(page), en("receipt.title.live"));
  assert.equal(await reveal(page, shareUrl), "bonjour");

  // On the revealed page (the only copy) the switcher opens the home page in a new tab and leaves
  // the secret shown.
  await page.selectOption("#language-menu", "fr");
  const [tab] = await Promise.all([
    page.context().waitForEvent("page"),
    page.click("form.switch.language button"),
  ]);
  await tab.waitForLoadState();
  assert.equal(await h1(tab), fr("home.title"));
  assert.equal(await page.inputValue("#revealed"), "bonjour");
  assert.equal(await h1(page), en("revealed.title"));
});

test("without JavaScript the language menu works by keyboard: choose, then the button", async () => {
  const page = await person({ locale: "en-US", javaScriptEnabled: false });
  await page.goto(`${suite.server.base}/`);
  // The skip link, the brand, then the menu and its button, in that order, from the keyboard.
  await page.focus("#language-menu");
  await page.selectOption("#language-menu", "fr");
  assert.equal(await lang(page), "en", "choosing alone submits nothing without JavaScript");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), en("layout.language.submit"));
  await Promise.all([page.waitForEvent("load"), page.keyboard.press("Enter")]);
  await assertFrenchHome(page);
});

/** The relative luminance (0 black … 1 white) of a computed CSS colour "rgb(r, g, b)". */
function luminance(css: string): number {
  const [r = 0, g = 0, b = 0] = (css.match(/[\d.]+/g) ?? []).map(Number).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The page's background (the root's: the body is transparent over it) and text luminance. */
async function colours(page: Page): Promise<{ bg: number; fg: number; body: string }> {
  const [bg, fg, body] = await page.evaluate(() => [
    getComputedStyle(document.documentElement).backgroundColor,
    getComputedStyle(document.body).color,
    getComputedStyle(document.body).backgroundColor,
  ]);
  return { bg: luminance(bg ?? ""), fg: luminance(fg ?? ""), body: body ?? "" };
}

const isDark = async (page: Page) => {
  const { bg, fg, body } = await colours(page);
  // Transparent body: what shows is the root's background.
  assert.ok(body === "rgba(0, 0, 0, 0)" || luminance(body) === bg, `body background ${body}`);
  return bg < 0.05 && fg > 0.6;
};
const isLight = async (page: Page) => {
  const { bg, fg } = await colours(page);
  return bg > 0.8 && fg < 0.05;
};

test("dark mode follows the system; a light system stays light", async () => {
  const dark = await person({ colorScheme: "dark" });
  await dark.goto(`${suite.server.base}/`);
  assert.ok(await isDark(dark), "dark system, dark page");
  assert.equal(await dark.locator("html").getAttribute("data-theme"), null);
  const { shareUrl } = await createSecret(dark, suite.server.base, { text: "in the dark" });
  assert.ok(await isDark(dark), "the receipt is dark too");
  await dark.goto(shareUrl);
  assert.ok(await isDark(dark), "the confirmation page is dark too");

  const light = await person({ colorScheme: "light" });
  await light.goto(`${suite.server.base}/`);
  assert.ok(await isLight(light), "light system, light page");
  await light.goto(shareUrl);
  assert.ok(await isLight(light));
});

/** Text colour of `fg` against the background colour of `bg` (same element when omitted). */
async function contrast(page: Page, fg: string, bg = fg): Promise<number> {
  const [colour, background] = await page.evaluate(
    ({ f, b }) => [
      getComputedStyle(document.querySelector(f) ?? document.body).color,
      getComputedStyle(document.querySelector(b) ?? document.body).backgroundColor,
    ],
    { f: fg, b: bg },
  );
  assert.doesNotMatch(background ?? "", /^rgba\(.*, 0\)$/, `${bg} has a background of its own`);
  const [hi, lo] = [luminance(colour ?? ""), luminance(background ?? "")].sort((a, b) => b - a);
  return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
}

test("text keeps at least 4.5:1 contrast in the light and the dark theme", async () => {
  for (const colorScheme of ["light", "dark"] as const) {
    const page = await person({ colorScheme });
    await page.goto(`${suite.server.base}/`);
    const home: [string, string?][] = [
      ["h1", "html"],
      [".lead", "html"],
      ["form.create label", ".card"],
      ["#secret-count", ".card"],
      ["form.create button.primary"],
      ["label[for=language-menu]", ".bar"],
      [".foot p", "html"],
    ];
    await createSecret(page, suite.server.base, { text: "contrast" });
    const receipt: [string, string?][] = [
      [".share .hint", ".card"],
      [".facts dt", "html"],
      [".badge"],
      [".warning"],
      ["a.button.danger"],
    ];
    for (const [fg, bg] of receipt) {
      const ratio = await contrast(page, fg, bg);
      assert.ok(ratio >= 4.5, `${colorScheme} receipt ${fg}: ${ratio.toFixed(2)}:1`);
    }
    await page.goto(`${suite.server.base}/`);
    for (const [fg, bg] of home) {
      const ratio = await contrast(page, fg, bg);
      assert.ok(ratio >= 4.5, `${colorScheme} home ${fg}: ${ratio.toFixed(2)}:1`);
    }
  }
});

test("the theme toggle switches at once with JavaScript and is kept after a reload", async () => {
  const page = await person({ colorScheme: "light" });
  await page.goto(`${suite.server.base}/`);
  const toggle = page.locator("button[data-theme-next]");
  assert.equal(await toggle.getAttribute("data-theme-next"), "dark");
  assert.equal(
    await toggle.getAttribute("aria-label"),
    en("layout.theme", { current: "Automatic", next: "Dark" }),
  );
  const saved = page.waitForResponse((r) => r.url() === `${suite.server.base}/prefs`);
  await toggle.click();
  // No navigation: the script applied it in place.
  assert.equal(page.url(), `${suite.server.base}/`);
  assert.equal(await page.locator("html").getAttribute("data-theme"), "dark");
  assert.ok(await isDark(page));
  assert.equal(await text(page, ".theme-name"), en("theme.dark"));
  assert.equal(
    await toggle.getAttribute("aria-label"),
    en("layout.theme", { current: "Dark", next: "Light" }),
  );
  await saved;
  await page.reload();
  assert.equal(await page.locator("html").getAttribute("data-theme"), "dark", "the server renders it");
  assert.ok(await isDark(page));

  // dark → light (even on a dark system) → automatic; each choice saved before the next click.
  const darkSystem = await person({ colorScheme: "dark" });
  await darkSystem.goto(`${suite.server.base}/`);
  assert.ok(await isDark(darkSystem));
  const next = async () => {
    const save = darkSystem.waitForResponse((r) => r.url() === `${suite.server.base}/prefs`);
    await darkSystem.locator("button[data-theme-next]").click();
    await save;
    return darkSystem.locator("html").getAttribute("data-theme");
  };
  assert.equal(await next(), "dark");
  assert.equal(await next(), "light");
  assert.ok(await isLight(darkSystem), "light chosen on a dark system");
  assert.equal(await next(), null);
  await darkSystem.reload();
  assert.equal(await darkSystem.locator("html").getAttribute("data-theme"), null);
  assert.ok(await isDark(darkSystem), "automatic again: the system's dark");
});

test("the theme toggle works without JavaScript (a form post)", async () => {
  const page = await person({ colorScheme: "light", javaScriptEnabled: false });
  await page.goto(`${suite.server.base}/`);
  await Promise.all([page.waitForURL(`${suite.server.base}/`), page.click("button[data-theme-next]")]);
  assert.equal(await page.locator("html").getAttribute("data-theme"), "dark");
  assert.ok(await isDark(page));
  await page.goto(`${suite.server.base}/receipt/unknown`);
  assert.ok(await isDark(page), "remembered on the next page");
});

test("phone width (390 px): no page scrolls sideways", async () => {
  const page = await person({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await page.goto(`${suite.server.base}/`);
  assert.equal(await overflow(), 0, "home");
  const long = `${"x".repeat(300)}\n${"wide ".repeat(80)}`;
  const { shareUrl } = await createSecret(page, suite.server.base, { text: long, passphrase: "phone" });
  assert.equal(await overflow(), 0, "receipt");
  await page.click("a.button.danger");
  assert.equal(await overflow(), 0, "burn confirmation");
  await page.goto(shareUrl);
  assert.equal(await overflow(), 0, "confirmation");
  assert.equal(await reveal(page, shareUrl, "phone"), long);
  assert.equal(await overflow(), 0, "revealed");
  await page.goto(shareUrl);
  assert.equal(await overflow(), 0, "not available");
});
