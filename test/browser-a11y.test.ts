// Keyboard, screen-reader names, the Content-Security-Policy and the JavaScript enhancements (copy to
// the clipboard, show/hide, byte count, countdown) in a real browser.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, createSecret, h1, reveal, text, watchedContext } from "./support/browser.js";
import { waitFor } from "./support/wait.js";
import { en } from "./support/web-server.js";

const suite = browserSuite();
const { person } = suite;

/** What has the focus, as "tag#id.class[name=value]"; also whether it shows a focus ring. */
function focused(page: Page): Promise<{ what: string; ring: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (el === null || el === document.body) return { what: "body", ring: false };
    const name = el.getAttribute("name");
    const what =
      el.tagName.toLowerCase() +
      (el.id ? `#${el.id}` : "") +
      [...el.classList].map((c) => `.${c}`).join("") +
      (name && name !== el.id ? `[${name}=${(el as HTMLInputElement).value}]` : "");
    const style = getComputedStyle(el);
    return { what, ring: style.outlineStyle !== "none" && style.outlineWidth !== "0px" };
  });
}

/** Presses Tab until `selector` has the focus; returns every stop on the way (the target last). */
async function tabTo(page: Page, selector: string, max = 20): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const { what, ring } = await focused(page);
    assert.ok(ring, `${what} shows where the focus is`);
    stops.push(what);
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return stops;
  }
  assert.fail(`${selector} not reached by Tab; stops: ${stops.join(" → ")}`);
}

test("keyboard only: sensible tab order, Enter and Space submit, Cancel by keyboard", async () => {
  const page = await person();
  await page.goto(`${suite.server.base}/`);
  assert.deepEqual(await tabTo(page, "form.create button.primary"), [
    "a.skip",
    "a.brand",
    // No "Sign in" link by default: neither sign-up nor mail, so nobody could use it.
    // The language menu, then its button (which confirms the choice, with or without JavaScript).
    "select#language-menu[locale=en]",
    "button",
    "button.theme[theme=dark]",
    "input#mode-text[mode=text]",
    "textarea#secret",
    // The file input, as the browser draws it; its "Remove" button shows only once a file is chosen.
    "input#file",
    "input#passphrase",
    "button.ghost.js-only",
    "select#ttl",
    "input#views",
    "button.primary",
  ]);
  // The skip link is the first stop, visible when focused, and moves the focus to the content.
  await page.reload();
  await page.keyboard.press("Tab");
  const skip = await page.locator("a.skip").boundingBox();
  assert.ok(skip !== null && skip.x >= 0 && skip.y >= 0, "the skip link comes into view");
  await page.keyboard.press("Enter");
  assert.equal((await focused(page)).what, "main#main");

  // Arrow keys pick "generate"; the hidden textarea is then skipped.
  await page.reload();
  await tabTo(page, "#mode-text");
  await page.keyboard.press("ArrowRight");
  assert.ok(await page.isChecked("#mode-generate"));
  assert.deepEqual(await tabTo(page, "#passphrase"), ["input#passphrase"]);
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("ArrowLeft");
  assert.ok(await page.isChecked("#mode-text"));

  // Type, choose a shorter lifetime with the arrows, submit with Enter.
  await tabTo(page, "#secret");
  await page.keyboard.type("typed on a keyboard");
  await tabTo(page, "#passphrase");
  await page.keyboard.type("keys only");
  await tabTo(page, "#ttl");
  const before = await page.inputValue("#ttl");
  await page.keyboard.press("ArrowUp");
  assert.notEqual(await page.inputValue("#ttl"), before, "the lifetime changes with the arrow keys");
  await tabTo(page, "form.create button.primary");
  await Promise.all([page.waitForURL(/\/receipt\//), page.keyboard.press("Enter")]);
  assert.equal(await h1(page), en("receipt.title.live"));
  const shareUrl = await page.inputValue("#share-link");
  const receiptUrl = page.url();

  // Burn page by keyboard: passphrase, confirm, cancel; Enter on Cancel goes back, burning nothing.
  await tabTo(page, "a.button.danger");
  await Promise.all([page.waitForURL(/\/burn$/), page.keyboard.press("Enter")]);
  // Encrypted in the browser: the server could not check a passphrase, so burning asks none.
  const stops = await tabTo(page, "a.button.ghost");
  assert.deepEqual(stops.slice(-2), ["button.danger", "a.button.ghost"]);
  await Promise.all([page.waitForURL(receiptUrl), page.keyboard.press("Enter")]);
  assert.equal(await h1(page), en("receipt.title.live"));

  // The recipient: passphrase, then Space on the reveal button.
  const recipient = await person();
  await recipient.goto(shareUrl);
  await tabTo(recipient, "#passphrase");
  await recipient.keyboard.type("keys only");
  await tabTo(recipient, "form.reveal button.primary");
  await Promise.all([recipient.waitForSelector("#revealed"), recipient.keyboard.press("Space")]);
  assert.equal(await recipient.inputValue("#revealed"), "typed on a keyboard");
  // The copy button is reachable from the revealed text.
  assert.deepEqual((await tabTo(recipient, "[data-copy]")).slice(-2), [
    "textarea#revealed.mono",
    "button.primary.js-only",
  ]);
});

/** Controls and landmarks that a screen reader would announce with no name. */
async function unnamed(page: Page): Promise<string[]> {
  const tree = await page.locator("body").ariaSnapshot();
  const roles = "button|link|textbox|combobox|radio|checkbox|img|region|form|group";
  const bare = new RegExp(`^\\s*- (${roles})( \\[[^\\]]*\\])?(:.*)?$`);
  return tree.split("\n").filter((line) => bare.test(line));
}

test("every control on every page has an accessible name; icon buttons are labelled", async () => {
  const page = await person();
  const named = (role: "button" | "img", name: string) => page.getByRole(role, { name, exact: true }).count();
  await page.goto(`${suite.server.base}/`);
  assert.deepEqual(await unnamed(page), [], "home");
  const theme = en("layout.theme", { current: en("theme.auto"), next: en("theme.dark") });
  assert.equal(await named("button", theme), 1, "the ◐ theme button has a spoken name");
  assert.equal(await page.locator("button.theme [aria-hidden=true]").textContent(), "◐");
  assert.equal(await named("button", en("home.passphrase.show")), 1);

  const { shareUrl } = await createSecret(page, suite.server.base, { text: "names", passphrase: "pp" });
  assert.deepEqual(await unnamed(page), [], "receipt");
  assert.equal(await named("button", en("receipt.share.copy")), 1);
  // No QR code for a browser-encrypted link (docs/web.md); browser-flows sees the server-drawn one.
  assert.equal(await named("img", en("receipt.qr.label")), 0);
  await page.click("a.button.danger");
  assert.deepEqual(await unnamed(page), [], "burn confirmation");
  await page.goto(shareUrl);
  assert.deepEqual(await unnamed(page), [], "confirmation");
  await reveal(page, shareUrl, "pp");
  assert.deepEqual(await unnamed(page), [], "revealed");
  assert.equal(await named("button", en("revealed.copy")), 1);
  await page.goto(shareUrl);
  assert.deepEqual(await unnamed(page), [], "not available");

  await createSecret(page, suite.server.base, { generate: true });
  assert.deepEqual(await unnamed(page), [], "receipt with a generated password");
  assert.equal(await named("button", en("receipt.generated.copy")), 1);
});

test("the CSP watch catches violations (so the clean runs elsewhere mean something)", async () => {
  const watched = await watchedContext(suite.browser);
  try {
    const res = await watched.page.goto(`${suite.server.base}/`);
    const csp = res?.headers()["content-security-policy"] ?? "";
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res?.headers()["referrer-policy"], "no-referrer");
    assert.equal(watched.problems.length, 0, watched.problems.join("\n"));
    // An injected inline script, inline style and third-party image are all refused and reported.
    await watched.page.evaluate(() => {
      const main = document.querySelector("main");
      if (main === null) return;
      main.insertAdjacentHTML(
        "beforeend",
        '<div style="color: red">x</div><img src="https://example.com/x.png">',
      );
      const script = document.createElement("script");
      script.textContent = "window.injected = true";
      main.append(script);
    });
    const violations = () => watched.problems.filter((p) => p.includes("securitypolicyviolation"));
    await waitFor(() => violations().length >= 3, { what: "three CSP violation reports", intervalMs: 20 });
    const seen = violations().join("\n");
    assert.match(seen, /script-src/);
    assert.match(seen, /style-src/);
    assert.match(seen, /img-src/);
    assert.equal(await watched.page.evaluate(() => "injected" in window), false);
  } finally {
    await watched.context.close();
  }
});

test("copy buttons put the link, the password and the secret in the clipboard", async () => {
  const page = await person({ permissions: ["clipboard-read", "clipboard-write"] });
  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  const { shareUrl } = await createSecret(page, suite.server.base, { generate: true });
  const copyLink = page.locator("button[data-copy=share-link]");
  assert.ok(await copyLink.isVisible());
  await copyLink.click();
  await page.waitForSelector("button[data-copy=share-link].done");
  assert.equal(await copyLink.textContent(), en("action.copied"));
  assert.equal(await clipboard(), shareUrl);
  const password = await page.inputValue("#generated");
  await page.click("button[data-copy=generated]");
  await page.waitForSelector("button[data-copy=generated].done");
  assert.equal(await clipboard(), password);

  await reveal(page, shareUrl);
  await page.click("button[data-copy=revealed]");
  await page.waitForSelector("button[data-copy=revealed].done");
  assert.equal(await text(page, "button[data-copy=revealed]"), en("action.copied"));
  assert.equal(await clipboard(), password);
});

test("without clipboard access (plain HTTP, refused), Copy selects the text for Ctrl+C", async () => {
  const page = await person();
  // A string, not a function: tsx would wrap a function's inner names in a helper the page lacks.
  await page.addInitScript(`Object.defineProperty(navigator, "clipboard", {
    value: { writeText: () => Promise.reject(new DOMException("refused", "NotAllowedError")) },
  });`);
  const { shareUrl } = await createSecret(page, suite.server.base, { text: "select me" });
  await page.click("button[data-copy=share-link]");
  await page.waitForFunction(() => document.activeElement?.id === "share-link");
  const selected = await page.evaluate(() => {
    const input = document.getElementById("share-link") as HTMLInputElement;
    return input.value.slice(input.selectionStart ?? 0, input.selectionEnd ?? 0);
  });
  assert.equal(selected, shareUrl);
  assert.equal(await text(page, "button[data-copy=share-link]"), en("action.copy"), "no false 'Copied'");
});

test("enhancements: show/hide passphrase, live byte count, countdown", async () => {
  const page = await person();
  await page.goto(`${suite.server.base}/`);
  const toggle = page.locator("button[data-toggle-password]");
  assert.equal(await page.getAttribute("#passphrase", "type"), "password");
  await page.fill("#passphrase", "peek");
  await toggle.click();
  assert.equal(await page.getAttribute("#passphrase", "type"), "text");
  assert.equal(await toggle.getAttribute("aria-pressed"), "true");
  assert.equal(await toggle.textContent(), en("action.hide"));
  assert.equal(await toggle.getAttribute("aria-label"), en("home.passphrase.hide"), "name follows the text");
  await toggle.click();
  assert.equal(await page.getAttribute("#passphrase", "type"), "password");
  assert.equal(await toggle.getAttribute("aria-pressed"), "false");
  assert.equal(await toggle.getAttribute("aria-label"), en("home.passphrase.show"));

  const max = Number(await page.getAttribute("#secret", "data-max-bytes"));
  const count = (used: number) => en("home.secret.count", { used: used.toLocaleString("en"), count: max });
  await page.fill("#secret", "é✓");
  assert.equal(await text(page, "#secret-count"), count(5), "bytes, not characters");
  await page.fill("#secret", "x".repeat(max + 1));
  assert.equal(await text(page, "#secret-count"), count(max + 1));
  assert.equal(await page.getAttribute("#secret", "aria-invalid"), "true");
  assert.ok(await page.locator("#secret-count.over").isVisible());

  await page.fill("#secret", "soon gone");
  await page.selectOption("#ttl", "300");
  await Promise.all([page.waitForURL(/\/receipt\//), page.click("form.create button.primary")]);
  // The last hour counts down in words of the page's language, not as a bare "04:59".
  const countdown = page.locator("time[data-countdown]");
  const first = await countdown.textContent();
  assert.match(first ?? "", /^in (5 min 0|4 min \d{1,2}) sec$/);
  await page.waitForFunction(
    (was) => document.querySelector("time[data-countdown]")?.textContent !== was,
    first,
  );
  assert.match((await countdown.textContent()) ?? "", /^in 4 min \d{1,2} sec$/);
  await page.goto(`${page.url()}?locale=fr`);
  await page.waitForFunction(() =>
    // French puts a no-break space between a number and its unit.
    /^dans 4\smin \d{1,2}\ss$/.test(document.querySelector("time[data-countdown]")?.textContent ?? ""),
  );
});
