// An operator's branding in a real browser, from a real BRAND_FILE (a JSON file, a PNG logo and an
// SVG one, written to a temporary folder and loaded by the server at start-up): the accent colour on
// the buttons in both themes (from the system and from the switcher), the logo loaded, the footer
// links, the note before a reveal, a share domain's own brand, a phone-width screen, an Arabic page
// laid out right to left, and not one Content-Security-Policy violation on the way (browserSuite
// fails a test on any).
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Page } from "playwright-core";
import { solidPng, writeBrandFile } from "./support/brand.js";
import { browserSuite, createSecret, h1, text } from "./support/browser.js";
import { tempDir } from "./support/temp.js";
import { messages } from "./support/web-server.js";

const ar = messages("ar");
const en = messages("en");

// The text on each accent is white or #111111, whichever contrasts more (docs/branding.md).
const ACCENT = { light: "#1d4ed8", lightText: "#ffffff", dark: "#93c5fd", darkText: "#111111" };
const rgb = (hex: string) =>
  `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(", ")})`;
// The share domain's logo, with a script in it: opened on its own, the script must not run.
const VECTOR_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32">
<style>rect { fill: #8e24aa }</style><rect width="120" height="32" rx="6"/>
<script>document.documentElement.setAttribute("data-ran", "yes")</script></svg>
`;
const folder = tempDir("onetime-brand-");
after(() => folder.remove());
const BRAND_FILE = writeBrandFile(
  folder.path,
  {
    name: "Acme Secrets",
    logo: "acme.png",
    accent: ACCENT.light,
    accent_dark: ACCENT.dark,
    support: "mailto:help@acme.example",
    footer: { en: "Acme Corp, 1 Main Street, Springfield", ar: "شركة أكمي، ١ الشارع الرئيسي" },
    links: [
      { href: "https://acme.example/imprint", label: { en: "Imprint", ar: "بيانات الناشر" } },
      { href: "https://acme.example/privacy", label: { en: "Privacy", ar: "الخصوصية" } },
    ],
    texts: {
      home_heading: { en: "Send it safely", ar: "أرسلها بأمان" },
      home_intro: {
        en: "Acme's way to share a password once.",
        ar: "طريقة أكمي لمشاركة كلمة مرور مرة واحدة.",
      },
      reveal_note: "Acme staff never ask for this link.",
    },
    // The browser reaches the server as localhost too: a share domain with a look of its own.
    domains: { localhost: { name: "Vector", logo: "vector.svg", accent: "#8e24aa" } },
  },
  { "acme.png": solidPng(96, 32, [29, 78, 216]), "vector.svg": VECTOR_SVG },
);

const suite = browserSuite({ BRAND_FILE, SHARE_DOMAINS: "localhost" });
const { person } = suite;
/** The server as the share domain: the same port, by the name localhost. */
const shareBase = () => suite.server.base.replace("127.0.0.1", "localhost");

const buttonColours = (page: Page) =>
  page.locator("form.create button.primary").evaluate((b) => {
    const style = getComputedStyle(b);
    return { background: style.backgroundColor, text: style.color };
  });
/** Waits for the header's logo to load (or to fail: naturalWidth then stays 0). */
const loaded = (page: Page) =>
  page.locator("header a.brand img.logo").evaluate((img: HTMLImageElement) =>
    img.complete
      ? undefined
      : new Promise((done) => {
          img.addEventListener("load", done, { once: true });
          img.addEventListener("error", done, { once: true });
        }),
  );
const theme = (page: Page) => page.locator("html").getAttribute("data-theme");

test("the primary button takes the brand's accent: light, dark from the system, and from the switcher", async () => {
  // Without motion, so that a colour read is the theme's, not one on its way there.
  const light = await person({ colorScheme: "light", reducedMotion: "reduce" });
  await light.goto(`${suite.server.base}/`);
  assert.deepEqual(await buttonColours(light), {
    background: rgb(ACCENT.light),
    text: rgb(ACCENT.lightText),
  });

  const dark = await person({ colorScheme: "dark", reducedMotion: "reduce" });
  await dark.goto(`${suite.server.base}/`);
  const darkColours = { background: rgb(ACCENT.dark), text: rgb(ACCENT.darkText) };
  assert.deepEqual(await buttonColours(dark), darkColours);

  // The switcher on a dark system: auto → dark → light (the light accent though the system is
  // dark) → auto again; each applied at once by the page script.
  const expected = [
    { theme: "dark", colours: darkColours },
    { theme: "light", colours: { background: rgb(ACCENT.light), text: rgb(ACCENT.lightText) } },
    { theme: null, colours: darkColours },
  ];
  for (const step of expected) {
    await dark.click("button.theme");
    await dark.waitForFunction((t) => document.documentElement.getAttribute("data-theme") === t, step.theme);
    assert.equal(await theme(dark), step.theme);
    assert.deepEqual(await buttonColours(dark), step.colours, `theme ${step.theme}`);
  }
  // And on a light system, the switcher's dark.
  await light.click("button.theme");
  await light.waitForFunction(() => document.documentElement.getAttribute("data-theme") === "dark");
  assert.deepEqual(await buttonColours(light), darkColours);
});

test("the header shows the logo, loaded and sized by the stylesheet, named by the brand", async () => {
  const page = await person();
  await page.goto(`${suite.server.base}/`);
  assert.equal(await page.title(), "Send it safely · Acme Secrets");
  assert.equal(await h1(page), "Send it safely");
  const logo = page.locator("header a.brand img.logo");
  await loaded(page);
  const shown = await logo.evaluate((img: HTMLImageElement) => ({
    naturalWidth: img.naturalWidth,
    alt: img.alt,
    height: img.getBoundingClientRect().height,
    width: img.getBoundingClientRect().width,
  }));
  assert.ok(shown.naturalWidth > 0, "the logo loaded");
  assert.equal(shown.naturalWidth, 96);
  assert.equal(shown.alt, "Acme Secrets");
  assert.equal(shown.height, 32, "2rem tall");
  assert.equal(shown.width, 96, "its own proportions");
  assert.equal(await page.locator("header a.brand").getAttribute("href"), "/");
  assert.equal(await page.locator("header img[src*='/assets/icon.']").count(), 0);
});

test("the footer has the brand's line, its links and the support link", async () => {
  const page = await person();
  await page.goto(`${suite.server.base}/`);
  assert.equal(await text(page, "footer.foot p"), "Acme Corp, 1 Main Street, Springfield");
  const links = await page
    .locator("footer.foot .foot-links a")
    .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute("href")]));
  assert.deepEqual(links, [
    ["Imprint", "https://acme.example/imprint"],
    ["Privacy", "https://acme.example/privacy"],
    [en("layout.support"), "mailto:help@acme.example"],
  ]);
});

async function assertNoSideScroll(page: Page): Promise<void> {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.ok(scroll <= client, `no horizontal scroll (${scroll} > ${client})`);
}

test("on a 390 px phone, in English and in Arabic, nothing scrolls sideways", async () => {
  const phone = await person({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  for (const query of ["", "?locale=ar"]) {
    await phone.goto(`${suite.server.base}/${query}`);
    await assertNoSideScroll(phone);
    const logo = await phone.locator("header img.logo").boundingBox();
    assert.ok(logo !== null && logo.x >= 0 && logo.x + logo.width <= 390, "the logo fits");
  }
});

test("an Arabic page shows the brand's Arabic texts, laid out right to left", async () => {
  const page = await person({ locale: "ar", viewport: { width: 1024, height: 760 } });
  await page.goto(`${suite.server.base}/`);
  assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
  assert.equal(await h1(page), "أرسلها بأمان");
  assert.equal(await text(page, "p.lead"), "طريقة أكمي لمشاركة كلمة مرور مرة واحدة.");
  assert.equal(await text(page, "footer.foot p"), "شركة أكمي، ١ الشارع الرئيسي");
  const labels = await page.locator(".foot-links a").allTextContents();
  assert.deepEqual(labels, ["بيانات الناشر", "الخصوصية", ar("layout.support")]);
  // Mirrored: the brand stands at the right of the bar, the heading starts at the right, and the
  // footer's first link is to the right of the second.
  const box = async (selector: string) => {
    const b = await page.locator(selector).first().boundingBox();
    assert.ok(b !== null, selector);
    return b;
  };
  const width = 1024;
  const brandBox = await box("header a.brand");
  assert.ok(brandBox.x > width / 2, "the logo and name on the right");
  const heading = await page.locator("h1").evaluate((h) => {
    const range = document.createRange();
    range.selectNodeContents(h);
    const text = range.getBoundingClientRect();
    const own = h.getBoundingClientRect();
    return { textRight: text.right, boxRight: own.right, textLeft: text.left, boxLeft: own.left };
  });
  assert.ok(Math.abs(heading.textRight - heading.boxRight) < 1, "the heading starts at the right");
  assert.ok(heading.textLeft - heading.boxLeft > 10, "and leaves room on the left");
  const [first, second] = [
    await box(".foot-links li:nth-child(1)"),
    await box(".foot-links li:nth-child(2)"),
  ];
  assert.ok(first.x > second.x, "the first link on the right");
  assert.equal(await page.title(), "أرسلها بأمان · Acme Secrets");
});

test("a share domain has its own name, logo and accent, and the instance's footer", async () => {
  const page = await person({ colorScheme: "light", reducedMotion: "reduce" });
  await page.goto(`${shareBase()}/`);
  assert.equal(await page.title(), "Send it safely · Vector");
  assert.equal(await text(page, "header a.brand"), "Vector");
  const logo = page.locator("header a.brand img.logo");
  assert.equal(await logo.getAttribute("alt"), "Vector");
  await loaded(page);
  assert.equal(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth), 120);
  assert.equal((await buttonColours(page)).background, rgb("#8e24aa"));
  assert.equal(await text(page, "footer.foot p"), "Acme Corp, 1 Main Street, Springfield");
});

test("the page that asks before a reveal shows the brand's note", async () => {
  const page = await person();
  const { shareUrl } = await createSecret(page, suite.server.base, { text: "noted" });
  const recipient = await person();
  await recipient.goto(shareUrl);
  assert.equal(await text(recipient, "p.brand-note"), "Acme staff never ask for this link.");
});

test("an SVG logo opened on its own runs nothing", async () => {
  const home = await person();
  await home.goto(`${shareBase()}/`);
  const src = await home.locator("header img.logo").getAttribute("src");
  assert.match(src ?? "", /^\/assets\/logo\.[0-9a-f]{12}\.svg$/);
  // Its own context: the blocked script is reported as a violation, which is what is wanted here.
  const context = await suite.browser.newContext();
  try {
    const page = await context.newPage();
    const res = await page.goto(`${suite.server.base}${src}`);
    assert.equal(res?.status(), 200);
    assert.match(res?.headers()["content-security-policy"] ?? "", /sandbox/);
    assert.equal(await page.evaluate(() => document.documentElement.localName), "svg");
    assert.equal(await page.evaluate(() => document.documentElement.getAttribute("data-ran")), null);
  } finally {
    await context.close();
  }
});
