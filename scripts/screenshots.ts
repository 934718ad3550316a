// Screenshots of the web pages for the README: `npx tsx scripts/screenshots.ts`. Starts the app like
// the browser tests do (in process, fresh SQLite data directory, loopback port), walks the pages in
// Debian's chromium and writes PNGs to docs/screenshots/. Needs the assets built (npm run build:web).
// `npx tsx scripts/screenshots.ts branded` makes only branded.png, the home page of an instance with
// a BRAND_FILE.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { keyholeSvg, writeBrandFile } from "../test/support/brand.js";
import { createSecret, launchBrowser, reveal } from "../test/support/browser.js";
import { tempDir } from "../test/support/temp.js";
import { startWebServer, type WebServer } from "../test/support/web-server.js";

const OUT = join(dirname(fileURLToPath(import.meta.url)), "..", "docs", "screenshots");
const DESKTOP = { viewport: { width: 1024, height: 760 } };
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
};

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const onlyBranded = process.argv.slice(2).includes("branded");
  if (!onlyBranded) await plainInstance();
  await brandedInstance();
}

/** The pages of an instance as it comes, without BRAND_FILE. */
async function plainInstance(): Promise<void> {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  try {
    // Links on the pages read as a real deployment's; the browser still talks to the loopback port.
    [server, browser] = await Promise.all([
      startWebServer({
        HOST: "secrets.example.com",
        SSL: "true",
        AUTH_SIGNUP: "true",
        AUTH_AUTOVERIFY: "true",
      }),
      launchBrowser(),
    ]);
    const base = server.base;
    const open = async (options: BrowserContextOptions = {}): Promise<Page> =>
      (await (browser as Browser).newContext({ ...DESKTOP, colorScheme: "light", ...options })).newPage();

    const sender = await open();
    await sender.goto(`${base}/`);
    await sender.fill("#secret", "Wi-Fi guest network\nSSID: Atelier-Guest\nPassword: tulip-orbit-73-canal");
    await sender.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot(sender, "home");

    const dark = await open({ colorScheme: "dark" });
    await dark.goto(`${base}/`);
    await shot(dark, "home-dark");

    const french = await open({ locale: "fr-FR" });
    await french.goto(`${base}/`);
    await shot(french, "home-fr");

    const text = "Database: prod-eu-1\nUser: reporting\nPassword: 7v!Qe-29-harbour-Lx";
    const passphrase = "blue kettle";
    const created = await createSecret(sender, base, { text, passphrase });
    // The link names secrets.example.com; the browser opens it on the loopback port, #key and all.
    const link = new URL(created.shareUrl);
    const shareUrl = `${base}${link.pathname}${link.hash}`;
    const receiptUrl = created.receiptUrl;
    await shot(sender, "receipt");
    await sender.click("a.button.danger");
    await sender.waitForURL(/\/burn$/);
    await shot(sender, "burn");

    const recipient = await open();
    await recipient.goto(shareUrl);
    await shot(recipient, "confirm");
    await reveal(recipient, shareUrl, passphrase);
    await shot(recipient, "revealed");
    await recipient.goto(shareUrl);
    await shot(recipient, "unavailable");
    await sender.goto(receiptUrl);
    await shot(sender, "receipt-read");

    // A signed-in user: a few secrets in different states on the dashboard, a new API token.
    const member = await open();
    await member.goto(`${base}/signup`);
    await member.fill("#email", "camille@example.com");
    await member.fill("#password", "correct horse battery");
    await Promise.all([member.waitForURL(/\/dashboard/), member.click("form.account-form button.primary")]);
    const burned = await createSecret(member, base, { text: "Old VPN key" });
    await member.goto(`${burned.receiptUrl}/burn`);
    await Promise.all([member.waitForURL(/\/receipt\/[^/]+$/), member.click("button.danger")]);
    const read = await createSecret(member, base, { text: "Staging admin password" });
    const readLink = new URL(read.shareUrl);
    await reveal(await open(), `${base}${readLink.pathname}${readLink.hash}`);
    await createSecret(member, base, { text: "Deploy key for CI", passphrase: "orange tram" });
    await createSecret(member, base, { generate: true });
    await member.goto(`${base}/dashboard`);
    await shot(member, "dashboard");
    await member.goto(`${base}/account`);
    await Promise.all([
      member.waitForURL(/\/account$/),
      member.click("form[action='/account/token'] button"),
    ]);
    await shot(member, "account");

    const phone = await open(PHONE);
    await phone.goto(`${base}/`);
    await shot(phone, "phone-home");
    await createSecret(phone, base, { generate: true });
    await shot(phone, "phone-receipt");
  } finally {
    await browser?.close();
    await server?.close();
  }
}

/** The home page of an instance with a BRAND_FILE: a name, a logo, a blue accent, footer links. */
async function brandedInstance(): Promise<void> {
  using folder = tempDir("onetime-screenshot-brand-");
  const brandFile = writeBrandFile(
    folder.path,
    {
      name: "Acme Secrets",
      logo: "acme.svg",
      accent: "#1d4ed8",
      accent_dark: "#93c5fd",
      support: "mailto:it-help@acme.example",
      footer: "Acme Corp · IT Security · 1 Example Road, Springfield",
      links: [
        { href: "https://acme.example/imprint", label: { en: "Imprint", fr: "Mentions légales" } },
        { href: "https://acme.example/privacy", label: { en: "Privacy", fr: "Confidentialité" } },
      ],
      texts: {
        home_heading: { en: "Send a password safely", fr: "Envoyez un mot de passe en toute sécurité" },
        home_intro: "Acme staff: share credentials here, never by chat or mail. The link works once.",
      },
    },
    { "acme.svg": keyholeSvg("#1d4ed8") },
  );
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  try {
    [server, browser] = await Promise.all([
      startWebServer({ HOST: "secrets.acme.example", SSL: "true", BRAND_FILE: brandFile }),
      launchBrowser(),
    ]);
    const page = await (await browser.newContext({ ...DESKTOP, colorScheme: "light" })).newPage();
    await page.goto(`${server.base}/`);
    await page.fill("#secret", "VPN: vpn.acme.example\nUser: j.doe\nPassword: maple-orbit-42-quay");
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shot(page, "branded");
  } finally {
    await browser?.close();
    await server?.close();
  }
}

await main();
