// Every language found in locales/, in real chromium at 390 px (a phone): the main pages show no
// message key instead of its text, nothing scrolls sideways, <html lang> and dir are right, the
// header's items do not overlap, and a right-to-left language mirrors the layout. One server and one
// browser for the file, two contexts (signed in, signed out) reused across the languages, which are
// switched by the language cookie. Until a real Arabic catalogue exists, a copy of English named
// ar.json stands in for it, in a temporary copy of locales/, so that the right-to-left checks run.
// `SCREENSHOTS=1` also saves the Arabic home page to docs/screenshots/home-ar.png.
import assert from "node:assert/strict";
import { cpSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { availableLocales, LOCALES_DIR, loadCatalogue } from "../src/i18n/catalogues.js";
import { direction } from "../src/i18n/direction.js";
import { createSecret, launchBrowser, people, reveal } from "./support/browser.js";
import { tempDir } from "./support/temp.js";
import { startWebServer, type WebServer } from "./support/web-server.js";

const locales = tempDir("onetime-i18n-locales-");
after(() => locales.remove());
cpSync(LOCALES_DIR, locales.path, { recursive: true });
if (!existsSync(join(LOCALES_DIR, "ar.json"))) {
  writeFileSync(
    join(locales.path, "ar.json"),
    JSON.stringify({ ...loadCatalogue("en"), "meta.name": "العربية" }),
  );
}
const LOCALES = availableLocales(locales.path);
/** Every message key, without its plural form: none may show on a page. */
const KEYS = [...new Set(Object.keys(loadCatalogue("en")).map((k) => k.split("#")[0] ?? k))];
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
const SCREENSHOT = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "screenshots", "home-ar.png");

let server: WebServer;
let browser: Browser;
const { person, done } = people(() => browser);
let signedIn: Page;
let signedOut: Page;

before(async () => {
  [server, browser] = await Promise.all([
    startWebServer({ AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" }, { localesDir: locales.path }),
    launchBrowser(),
  ]);
  [signedIn, signedOut] = await Promise.all([person(PHONE), person(PHONE)]);
  await signedIn.goto(`${server.base}/signup`);
  await signedIn.fill("#email", "i18n@example.com");
  await signedIn.fill("#password", "correct horse battery");
  await Promise.all([signedIn.waitForURL(/\/dashboard/), signedIn.click("form.account-form button.primary")]);
});
after(async () => {
  await done();
  await browser?.close();
  await server?.close();
});

interface Facts {
  lang: string;
  dir: string;
  text: string;
  scrollWidth: number;
  width: number;
  header: { name: string; left: number; right: number; top: number; bottom: number }[];
  brandCentre: number;
}

/** What the checks need of the page as shown, measured in one round trip. */
function measure(page: Page): Promise<Facts> {
  return page.evaluate(() => {
    const shown = [
      ...document.querySelectorAll(".bar .brand, .bar nav a, .bar label, .bar select, .bar button"),
    ]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => {
        const r = el.getBoundingClientRect();
        const name = `${el.tagName.toLowerCase()} ${el.textContent?.trim().slice(0, 20) ?? ""}`;
        return { name, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      });
    const brand = document.querySelector(".bar .brand")?.getBoundingClientRect();
    return {
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      // biome-ignore lint/performance/useDomNodeTextContent: the text as shown, without hidden elements.
      text: document.body.innerText,
      scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
      width: window.innerWidth,
      header: shown,
      brandCentre: brand === undefined ? -1 : (brand.left + brand.right) / 2,
    };
  });
}

async function check(page: Page, code: string, what: string): Promise<void> {
  const at = `${code} ${what}`;
  const f = await measure(page);
  assert.equal(f.lang, code, `${at}: lang`);
  assert.equal(f.dir, direction(code), `${at}: dir`);
  assert.deepEqual(
    KEYS.filter((k) => f.text.includes(k)),
    [],
    `${at}: message keys shown instead of their text`,
  );
  // A phone widens its layout viewport to fit content that overflows: the width must stay 390.
  assert.equal(f.width, PHONE.viewport.width, `${at}: the layout viewport grew to fit the page`);
  assert.ok(f.scrollWidth <= f.width, `${at}: scrolls sideways (${f.scrollWidth} > ${f.width})`);
  for (const [i, a] of f.header.entries()) {
    for (const b of f.header.slice(i + 1)) {
      const overlap =
        a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      assert.ok(!overlap, `${at}: "${a.name}" overlaps "${b.name}" in the header`);
    }
  }
  // The brand starts the header: on the left left to right, on the right when mirrored.
  const onRight = f.brandCentre > f.width / 2;
  assert.equal(onRight, f.dir === "rtl", `${at}: the header is ${onRight ? "" : "not "}mirrored`);
}

test("the temporary locales hold English, French and a right-to-left language", () => {
  assert.ok(LOCALES.includes("en") && LOCALES.includes("fr") && LOCALES.includes("ar"), LOCALES.join());
});

for (const code of LOCALES) {
  test(`${code}: the main pages at 390 px`, async () => {
    const cookie = { name: "ot_locale", value: code, url: server.base };
    await Promise.all([signedIn.context().addCookies([cookie]), signedOut.context().addCookies([cookie])]);
    for (const path of ["/signin", "/signup"]) {
      await signedOut.goto(`${server.base}${path}`);
      await check(signedOut, code, path);
    }
    const page = signedIn;
    await page.goto(`${server.base}/`);
    await check(page, code, "home");
    if (code === "ar" && process.env.SCREENSHOTS === "1")
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const { shareUrl } = await createSecret(page, server.base, { text: `${code} secret` });
    await check(page, code, "receipt");
    await Promise.all([page.waitForURL(/\/burn$/), page.click("a.button.danger")]);
    await check(page, code, "burn");
    await page.goto(shareUrl);
    await check(page, code, "confirm");
    assert.equal(await reveal(page, shareUrl), `${code} secret`);
    await check(page, code, "revealed");
    await page.goto(shareUrl);
    await check(page, code, "unavailable");
    for (const path of ["/dashboard", "/account"]) {
      await page.goto(`${server.base}${path}`);
      await check(page, code, path);
    }
  });
}
