// Secrets encrypted in the browser (issue 12), in real Chromium: every request made while creating and
// revealing is captured and holds neither the text, nor the key k, nor the passphrase; the receipt
// shows the full link (and after a reload) though the server never had k; a link without its
// fragment, with a wrong k or with a wrong passphrase reads nothing and the right link still works;
// without JavaScript the server encrypts and says so, and a browser-encrypted link explains itself.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { BrowserContext, Page } from "playwright-core";
import { browserSuite, h1, reveal, text } from "./support/browser.js";
import { scanDataDir } from "./support/data-dir.js";
import { en } from "./support/web-server.js";

// Debug logs: the test reads them for the text, k and the passphrase too.
const suite = browserSuite({ LOG_LEVEL: "debug" });
const { person } = suite;

interface Seen {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Every request any page of the context makes from now on, with its headers and body. */
function capture(context: BrowserContext): Seen[] {
  const seen: Seen[] = [];
  context.on("request", (req) => {
    const entry: Seen = { url: req.url(), headers: req.headers(), body: req.postData() ?? "" };
    seen.push(entry);
    // The headers Chromium really sent (cookies included) come later than the event.
    req
      .allHeaders()
      .then((all) => {
        entry.headers = all;
      })
      .catch(() => undefined);
  });
  return seen;
}

/** A value as it may travel: raw, percent-encoded, or form-encoded. */
function spellings(value: string): string[] {
  return [value, encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
}

function assertNowhere(seen: Seen[], secrets: Record<string, string>): void {
  assert.ok(seen.length > 0, "requests were captured");
  for (const request of seen) {
    const whole = `${request.url}\n${JSON.stringify(request.headers)}\n${request.body}`;
    for (const [name, value] of Object.entries(secrets)) {
      for (const spelling of spellings(value)) {
        assert.ok(!whole.includes(spelling), `${name} is not in ${request.url}`);
      }
    }
  }
}

const LINK = /^(http:\/\/[^/]+\/secret\/[^/?#]+)#([A-Za-z0-9_-]{43})$/;

/** Fills the form, submits it, and returns the receipt address and the full link with its key. */
async function create(
  page: Page,
  { text: secret, passphrase, generate = false }: { text?: string; passphrase?: string; generate?: boolean },
) {
  await page.goto(`${suite.server.base}/`);
  if (generate) await page.check("#mode-generate");
  if (secret !== undefined) await page.fill("#secret", secret);
  if (passphrase !== undefined) await page.fill("#passphrase", passphrase);
  const started = performance.now();
  await Promise.all([page.waitForURL(/\/receipt\/[^/?]+/), page.click("form.create button.primary")]);
  await page.waitForFunction(() =>
    (document.getElementById("share-link") as HTMLInputElement).value.includes("#"),
  );
  const ms = performance.now() - started;
  const link = await page.inputValue("#share-link");
  const match = LINK.exec(link);
  assert.ok(match, `the full link with its key: ${link}`);
  return { receiptUrl: page.url(), link, bare: match[1] as string, k: match[2] as string, ms };
}

const secretText = "zk: the server never sees this — ünïcode ✓ & <b>";
const passphrase = "correct horse battery";

test("with JavaScript: encrypted in the browser; no request carries the text, k or the passphrase", async (t) => {
  const sender = await person();
  const sent = capture(sender.context());
  const made = await create(sender, { text: secretText, passphrase });
  assert.equal(await h1(sender), en("receipt.title.live"));
  assert.equal(await text(sender, "dd.encryption"), en("receipt.encryption.client"));
  const receiptGets = sent.filter((r) => new URL(r.url).pathname.startsWith("/receipt/"));
  assert.equal(receiptGets.length, 1, "one receipt request, as with the plain form");
  assert.equal(await sender.locator("svg.qr").count(), 0, "no QR code of a link without its key");
  assert.ok(!(await sender.locator(".zk-missing").isVisible()));
  // A reload of the receipt still shows the full link: the key is in this tab's sessionStorage.
  await sender.reload();
  assert.equal(await sender.inputValue("#share-link"), made.link);
  // Another tab (its own sessionStorage) gets the link without its key, and says why.
  const elsewhere = await sender.context().newPage();
  await elsewhere.goto(made.receiptUrl);
  assert.equal(await elsewhere.inputValue("#share-link"), made.bare);
  assert.equal(await text(elsewhere, ".zk-missing"), en("receipt.zk.missing"));
  await elsewhere.close();

  // Stored: the data directory holds none of them (the SQLite file and its WAL, byte for byte).
  const secrets = { text: secretText, k: made.k, passphrase };
  assert.ok(scanDataDir(suite.server.t.dataDir, Object.values(secrets)).length > 0);

  const recipient = await person();
  const received = capture(recipient.context());
  await recipient.goto(made.link);
  assert.equal(
    await h1(recipient),
    en("secret.title"),
    "the same confirmation page; the GET consumed nothing",
  );
  await recipient.fill("#passphrase", passphrase);
  const started = performance.now();
  await recipient.click("form.reveal button.primary");
  await recipient.waitForSelector("#revealed");
  const revealMs = performance.now() - started;
  assert.equal(await recipient.inputValue("#revealed"), secretText);
  assert.equal(await h1(recipient), en("revealed.title"));
  assert.equal(recipient.url(), made.bare, "the key left the address bar");
  assert.ok(!(await recipient.evaluate(() => location.href)).includes("#"));
  t.diagnostic(`create ${Math.round(made.ms)} ms, reveal ${Math.round(revealMs)} ms (PBKDF2 600000 each)`);

  assertNowhere(sent, secrets);
  assertNowhere(received, secrets);
  // The reveal posted a proof, not the passphrase: the one POST of the recipient.
  const posts = received.filter((r) => r.body !== "");
  assert.equal(posts.length, 1);
  assert.match(posts[0]?.body ?? "", /^_csrf=[^&]+&zk_proof=[A-Za-z0-9_-]{43}$/);

  // Read: the link (with or without its key) now shows the page for a secret that is gone.
  await recipient.goto("about:blank");
  const res = await recipient.goto(made.link);
  assert.equal(res?.status(), 404);
  await sender.goto(made.receiptUrl);
  assert.equal(await h1(sender), en("receipt.title.received"));
  const logs = suite.server.t.logs.join("");
  assert.ok(logs.includes('"path":"/create"'), "the requests were logged");
  for (const [name, value] of Object.entries(secrets))
    assert.ok(!logs.includes(value), `${name} is not in the logs`);
});

test("a cut fragment, a wrong or damaged k, a wrong passphrase read nothing; the right link still does", async () => {
  const sender = await person();
  const made = await create(sender, { text: secretText, passphrase });
  const recipient = await person();
  const seen = capture(recipient.context());
  const posts = () => seen.filter((r) => r.body !== "").length;
  const attempt = async (url: string, typed: string, expected: string) => {
    await recipient.goto("about:blank");
    await recipient.goto(url);
    await recipient.fill("#passphrase", typed);
    await recipient.click("form.reveal button.primary");
    await recipient.waitForSelector("#reveal-error");
    assert.equal(await text(recipient, "#reveal-error"), expected);
    assert.equal(await recipient.locator("#revealed").count(), 0);
  };
  const other = `${"A".repeat(42)}E`;
  await attempt(made.bare, passphrase, en("zk.reveal.no_key"));
  await attempt(`${made.bare}#${made.k.slice(0, 20)}`, passphrase, en("zk.reveal.bad_key"));
  assert.equal(posts(), 0, "a missing or damaged key is refused before anything is sent");
  await attempt(`${made.bare}#${other}`, passphrase, en("zk.reveal.wrong_passphrase"));
  await attempt(made.link, "not the passphrase", en("zk.reveal.wrong_passphrase"));
  await sender.reload();
  assert.equal(await h1(sender), en("receipt.title.live"), "nothing was consumed");

  await recipient.goto("about:blank");
  assert.equal(await reveal(recipient, made.link, passphrase), secretText);

  // Without a passphrase, a wrong key says that the key is wrong.
  const plain = await create(sender, { text: "no passphrase here" });
  const reader = await person();
  await reader.goto(`${plain.bare}#${other}`);
  await reader.click("form.reveal button.primary");
  await reader.waitForSelector("#reveal-error");
  assert.equal(await text(reader, "#reveal-error"), en("zk.reveal.wrong_key"));
  await reader.goto("about:blank");
  assert.equal(await reveal(reader, plain.link), "no passphrase here");
});

test("a password generated in the browser: shown once on the receipt, never sent in clear", async () => {
  const sender = await person();
  const sent = capture(sender.context());
  const made = await create(sender, { generate: true });
  const password = await sender.inputValue("#generated");
  assert.match(password, /^\S{12}$/);
  assert.doesNotMatch(password, /[ilo1IO0]/, "PASSWORD_GEN_EXCLUDE_AMBIGUOUS, as on the server");
  await sender.reload();
  assert.equal(await sender.locator("#generated").count(), 0, "a reload no longer shows it");
  assert.equal(await sender.inputValue("#share-link"), made.link, "the link keeps its key");
  assertNowhere(sent, { password, k: made.k });
  assert.equal(await reveal(await person(), made.link), password);
});

test("without JavaScript: the server encrypts and the receipt says so; a browser-encrypted link explains itself", async () => {
  const noJs = { javaScriptEnabled: false };
  const sender = await person(noJs);
  await sender.goto(`${suite.server.base}/`);
  await sender.fill("#secret", "sent as a plain form");
  await Promise.all([sender.waitForURL(/\/receipt\//), sender.click("form.create button.primary")]);
  assert.equal(await text(sender, "dd.encryption"), en("receipt.encryption.server"));
  assert.ok(await sender.locator("svg.qr").isVisible(), "a server-encrypted link keeps its QR code");
  assert.doesNotMatch(await sender.inputValue("#share-link"), /#/);

  const made = await create(await person(), { text: secretText });
  const reader = await person(noJs);
  await reader.goto(made.link);
  assert.equal(await h1(reader), en("secret.title"));
  assert.equal(await text(reader, "noscript p, p.warning"), en("zk.reveal.needs_js"));
  const res = await Promise.all([
    reader.waitForResponse((r) => r.request().method() === "POST"),
    reader.click("form.reveal button.primary"),
  ]);
  assert.equal(res[0].status(), 409);
  assert.equal(await text(reader, "#reveal-error"), en("zk.reveal.needs_js"));
  assert.equal(await reader.locator("#revealed").count(), 0);
  // Nothing was consumed: the same link opens with JavaScript.
  assert.equal(await reveal(await person(), made.link), secretText);
});

test("the page script is served with its Subresource Integrity hash", async () => {
  const page = await person();
  const res = await page.goto(`${suite.server.base}/`);
  assert.match(res?.headers()["content-security-policy"] ?? "", /script-src 'self'/);
  const script = page.locator("script[src]");
  assert.equal(await script.count(), 1);
  const integrity = (await script.getAttribute("integrity")) ?? "";
  const body = Buffer.from(
    await (await fetch(`${suite.server.base}${await script.getAttribute("src")}`)).arrayBuffer(),
  );
  const { createHash } = await import("node:crypto");
  assert.equal(integrity, `sha384-${createHash("sha384").update(body).digest("base64")}`);
  assert.equal(await page.locator("html.js").count(), 1, "the browser ran it");
});

test("burning a browser-encrypted secret asks no passphrase the server could not check", async () => {
  const sender = await person();
  const made = await create(sender, { text: "to burn", passphrase });
  await sender.click("a.button.danger");
  await sender.waitForURL(/\/burn$/);
  assert.equal(await sender.locator("#passphrase").count(), 0);
  await Promise.all([sender.waitForURL(made.receiptUrl), sender.click("button.danger")]);
  assert.equal(await h1(sender), en("receipt.title.burned"));
  // A spent receipt drops its key from the tab's storage.
  const left = await sender.evaluate(() =>
    Object.keys(sessionStorage).filter((k) => k.startsWith("onetime.zk.")),
  );
  assert.deepEqual(left, []);
});
