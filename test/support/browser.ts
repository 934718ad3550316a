// A real browser for the page tests: Debian's chromium driven by Playwright (playwright-core ships
// no browser; nothing is downloaded). Flags per DESIGN §7.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, afterEach, before } from "node:test";
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from "playwright-core";
import { startWebServer, type WebServer } from "./web-server.js";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  const found = CANDIDATES.find((p) => existsSync(p));
  if (found === undefined)
    throw new Error("chromium not found: npm test installs it (apt-get install chromium)");
  return found;
}

/** Chromium with the flags every test uses, and `extraArgs` (a --host-resolver-rules, say). */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...extraArgs,
    ],
  });
}

/** A browser context whose pages report every console error, uncaught error and CSP violation. */
export interface Watched {
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong on any page of the context so far; a clean run leaves it empty. */
  problems: string[];
}

// Reported by the page itself, so that a violation is caught even when the browser logs nothing.
const REPORT_CSP = `document.addEventListener("securitypolicyviolation", (e) => {
  console.error("securitypolicyviolation: " + e.violatedDirective + " " + e.blockedURI);
});`;

// Chromium logs a failed load for every 4xx document, including the pages that answer with one on
// purpose (404 "not available", 403 wrong passphrase, 400 form error); only the page's own address is
// excused (its document, or the page script's reveal posted back to it, whatever the fragment): a
// failed script, style or image still counts.
const STATUS_LINE = /^Failed to load resource: the server responded with a status of 4\d\d/;
const withoutFragment = (url: string) => url.split("#")[0];

export async function watchedContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<Watched> {
  const context = await browser.newContext(options);
  const problems: string[] = [];
  const watch = (page: Page) => {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      if (STATUS_LINE.test(msg.text()) && withoutFragment(msg.location().url) === withoutFragment(page.url()))
        return;
      problems.push(`console error on ${page.url()}: ${msg.text()}`);
    });
    page.on("pageerror", (err) => problems.push(`page error on ${page.url()}: ${err.message}`));
  };
  context.on("page", watch);
  if (options.javaScriptEnabled !== false) await context.addInitScript(REPORT_CSP);
  const page = await context.newPage();
  return { context, page, problems };
}

export interface Created {
  /** The private receipt page the create form redirected to. */
  receiptUrl: string;
  /** The link to share, read from the receipt page. */
  shareUrl: string;
}

/** Fills the home page form and submits it with the mouse; returns the receipt and share links. */
export async function createSecret(
  page: Page,
  base: string,
  { text, passphrase, generate = false }: { text?: string; passphrase?: string; generate?: boolean },
): Promise<Created> {
  await page.goto(`${base}/`);
  if (generate) await page.check("#mode-generate");
  if (text !== undefined) await page.fill("#secret", text);
  if (passphrase !== undefined) await page.fill("#passphrase", passphrase);
  await Promise.all([page.waitForURL(/\/receipt\/[^/?]+/), page.click("form.create button.primary")]);
  const shareUrl = await page.inputValue("#share-link");
  return { receiptUrl: page.url(), shareUrl };
}

/**
 * The people of one test file, each in a fresh context (own cookies and cache). `done()` closes
 * every context opened since the last call and fails if any of their pages logged a console error,
 * threw, or reported a Content-Security-Policy violation.
 */
export function people(browser: () => Browser) {
  const open: Watched[] = [];
  return {
    async person(options: BrowserContextOptions = {}): Promise<Page> {
      const watched = await watchedContext(browser(), options);
      open.push(watched);
      return watched.page;
    },
    async done(): Promise<void> {
      const problems = open.flatMap((c) => c.problems);
      await Promise.all(open.splice(0).map((c) => c.context.close()));
      assert.deepEqual(problems, [], "no console error, page error or CSP violation");
    },
  };
}

/**
 * One Chromium for a whole test file, launched before its first test and closed after its last.
 * Called at the top level of a file whose describe() blocks each need their own server: each passes
 * it to browserSuite(), so the file launches Chromium once (a context is cheap, a launch is not).
 */
export function fileBrowser(): () => Browser {
  const state: { browser?: Browser } = {};
  before(async () => {
    state.browser = await launchBrowser();
  });
  after(async () => {
    await state.browser?.close();
  });
  return () => {
    if (state.browser === undefined) throw new Error("the browser starts in before()");
    return state.browser;
  };
}

/**
 * A browser test file's set-up: one server (started with `env`) and one browser for the file, and
 * `person()` for a fresh watched context per person, checked and closed after each test. `shared`
 * (from fileBrowser()) uses the file's Chromium instead of launching one for this suite.
 */
export function browserSuite(
  env: Record<string, string> = {},
  options: Parameters<typeof startWebServer>[1] = {},
  shared?: () => Browser,
) {
  const state: { server?: WebServer; browser?: Browser } = {};
  const { person, done } = people(() => state.browser as Browser);
  before(async () => {
    // Both are kept even when the other fails to start, so that after() closes them and a failed
    // set-up ends the file instead of leaving it waiting on an open server.
    const [server, browser] = await Promise.allSettled([
      startWebServer(env, options),
      shared === undefined ? launchBrowser() : Promise.resolve().then(shared),
    ]);
    if (server.status === "fulfilled") state.server = server.value;
    if (browser.status === "fulfilled") state.browser = browser.value;
    if (server.status === "rejected") throw server.reason;
    if (browser.status === "rejected") throw browser.reason;
  });
  afterEach(() => done());
  after(async () => {
    // A shared Chromium is closed by fileBrowser()'s own after(), once the whole file is done.
    if (shared === undefined) await state.browser?.close();
    await state.server?.close();
  });
  return {
    person,
    get server(): WebServer {
      if (state.server === undefined) throw new Error("the server starts in before()");
      return state.server;
    },
    get browser(): Browser {
      if (state.browser === undefined) throw new Error("the browser starts in before()");
      return state.browser;
    },
  };
}

/** The text of the first element matching `selector`, whitespace collapsed ("" when there is none). */
export async function text(page: Page, selector: string): Promise<string> {
  const content = await page.locator(selector).first().textContent();
  return (content ?? "").replace(/[ \t\r\n]+/g, " ").trim();
}

export const h1 = (page: Page): Promise<string> => text(page, "h1");

/** Opens the share link (unless already there), confirms, and returns the revealed text. */
export async function reveal(page: Page, shareUrl: string, passphrase?: string): Promise<string> {
  if (page.url() !== shareUrl) await page.goto(shareUrl);
  if (passphrase !== undefined) await page.fill("#passphrase", passphrase);
  await page.click("form.reveal button.primary");
  await page.waitForSelector("#revealed");
  return page.inputValue("#revealed");
}
