// Files through the pages in real Chromium, byte for byte: with and without JavaScript, with
// zero-knowledge on (the page script seals text and file in one envelope; the reader's page decrypts
// and saves it from a Blob) and off (the server seals; the reader downloads it once from a pickup).
// Text only, a binary file of exactly FILE_MAX_BYTES with a text, an empty file alone, and one byte
// more, refused on the form with what was typed kept and nothing stored. The file's name and
// bytes reach neither the server's log nor its data directory.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import Database from "better-sqlite3";
import type { Page } from "playwright-core";
import { DATABASE_FILE } from "../src/store/sqlite.js";
import { browserSuite, fileBrowser, h1, text } from "./support/browser.js";
import { scanDataDir } from "./support/data-dir.js";
import type { WebServer } from "./support/web-server.js";
import { en } from "./support/web-server.js";

// Small, so that a file at the cap costs little; the property is the cap, not its default of 5 MiB
// (test/v2-files.test.ts sends 5 MiB through the API). 1500 bytes reads "1.5 kB" on the reveal page.
const MAX = 1500;

interface Sent {
  name: string;
  type: string;
  bytes: Buffer;
}

/** Every byte value and a marker to look for in logs and files. */
const MARKER = "FileMarker3b9d";
const binary = (size: number) => {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = (i * 7 + 3) & 0xff;
  out.write(MARKER, Math.max(0, Math.floor(size / 2) - 7));
  return out;
};

/** Fills the form (text, file) and submits it; returns the link to share, with its #key when zk. */
async function share(page: Page, base: string, { secret, file }: { secret?: string; file?: Sent }) {
  await page.goto(`${base}/`);
  if (secret !== undefined) await page.fill("#secret", secret);
  if (file !== undefined)
    await page.setInputFiles("#file", { name: file.name, mimeType: file.type, buffer: file.bytes });
  await Promise.all([page.waitForURL(/\/receipt\/[^/?]+/), page.click("form.create button.primary")]);
  return page.inputValue("#share-link");
}

interface Received {
  text: string | null;
  name: string | null;
  size: string | null;
  bytes: Buffer | null;
  saved: string | null;
}

/** Opens the link, reveals, and saves the file when there is one. */
async function receive(page: Page, link: string, { file }: { file: boolean }): Promise<Received> {
  await page.goto(link);
  assert.equal(await page.locator(".file-note").count(), file ? 1 : 0, "the file is said before the reveal");
  await page.click("form.reveal button.primary");
  await page.waitForSelector(`h1:text-is("${en("revealed.title")}")`);
  const textShown = await page.isVisible("#revealed");
  const out: Received = {
    text: textShown ? await page.inputValue("#revealed") : null,
    name: null,
    size: null,
    bytes: null,
    saved: null,
  };
  if (!file) {
    assert.equal(await page.isVisible(".revealed-file"), false);
    return out;
  }
  out.name = await text(page, "#file-name");
  // ICU may put a no-break space between a number and its unit.
  out.size = (await text(page, "#file-size")).replace(/\s/g, " ");
  const save = page.locator("#file-download, form.download button");
  const [download] = await Promise.all([page.waitForEvent("download"), save.click()]);
  out.bytes = readFileSync(await download.path());
  out.saved = download.suggestedFilename();
  return out;
}

type Suite = { server: WebServer; person: (o?: { javaScriptEnabled?: boolean }) => Promise<Page> };

/** `zk`: the sender's page encrypts (the link carries its key); otherwise the server does. */
function roundTrips(suite: Suite, { js, zk }: { js: boolean; zk: boolean }) {
  const person = () => suite.person({ javaScriptEnabled: js });

  test("text only: as before", async () => {
    const link = await share(await person(), suite.server.base, { secret: "just words" });
    const got = await receive(await person(), link, { file: false });
    assert.equal(got.text, "just words");
  });

  test("a binary file of exactly FILE_MAX_BYTES with a text: taken; the text, the name and size, and the same bytes saved", async () => {
    const file = { name: 'clé "privée".key', type: "text/html", bytes: binary(MAX) };
    const link = await share(await person(), suite.server.base, { secret: "with a key", file });
    assert.equal(link.includes("#"), zk, zk ? "sealed in the browser" : "sealed by the server");
    const got = await receive(await person(), link, { file: true });
    assert.equal(got.text, "with a key");
    assert.equal(got.name, file.name, "the name as it was, quotes and accents");
    assert.equal(got.size, "1.5 kB");
    // Chromium's own rule for the saved file's name makes a quote "_".
    assert.equal(got.saved, "clé _privée_.key");
    assert.deepEqual(got.bytes, file.bytes);
  });

  test("an empty file alone: no text, zero bytes saved", async () => {
    const file = { name: "empty.txt", type: "text/plain", bytes: Buffer.alloc(0) };
    const link = await share(await person(), suite.server.base, { file });
    const got = await receive(await person(), link, { file: true });
    assert.equal(got.text, null, "no text: the file alone");
    assert.equal(got.size, "0 bytes");
    assert.equal(got.saved, "empty.txt");
    assert.equal(got.bytes?.length, 0);
  });

  test("one byte over: a clear line on the form, what was typed kept, nothing stored", async () => {
    const { t } = suite.server;
    await t.deps.store.purgeExpired(Date.now() + 400 * 86400_000);
    const page = await person();
    await page.goto(`${suite.server.base}/`);
    await page.fill("#secret", "typed before");
    await page.fill("#passphrase", "a kept passphrase");
    const file = { name: "over.bin", type: "", bytes: binary(MAX + 1) };
    await page.setInputFiles("#file", { name: file.name, mimeType: file.type, buffer: file.bytes });
    const message = en("form.error.file_too_large", { count: MAX });
    if (js) {
      // Refused before anything is sent: the browser's own check holds the form, and the box says why.
      assert.equal(await text(page, "#file-chosen"), message);
      await page.click("form.create button.primary");
      assert.equal(
        await page.evaluate(() => (document.getElementById("file") as HTMLInputElement).validationMessage),
        message,
      );
      assert.equal(new URL(page.url()).pathname, "/");
    } else {
      await page.click("form.create button.primary");
      assert.equal(await text(page, "#form-error"), message);
      assert.equal(await text(page, "#file-again"), en("home.file.again"));
    }
    assert.equal(await page.inputValue("#secret"), "typed before");
    assert.equal(await page.inputValue("#passphrase"), "a kept passphrase");
    // Nothing of the file stored: no secret as large as the cap (the store was emptied above; a small
    // row another page of this shared server sends late is not this file).
    assert.equal(bigSecretRows(t.dataDir, MAX), 0, "nothing stored");
  });

  test("the file's name and bytes are in no log line and nowhere in the data directory", () => {
    const { t } = suite.server;
    const needles = [MARKER, "privée", "empty.txt", "over.bin"];
    assert.ok(
      t.logs.some((line) => line.includes('"path":"/create"')),
      "the requests were logged",
    );
    for (const line of t.logs) {
      for (const needle of needles) assert.ok(!line.includes(needle), `a log line holds ${needle}: ${line}`);
    }
    scanDataDir(t.dataDir, needles);
  });
}

// One server for each mode, with and without JavaScript alike, and one Chromium for the file (a fresh
// context per person); the download tests run on the default mode's server (ZERO_KNOWLEDGE=browser).
const chromium = fileBrowser();
for (const zk of ["browser", "off"] as const) {
  describe(`ZERO_KNOWLEDGE=${zk}`, () => {
    const suite = browserSuite(
      { ZERO_KNOWLEDGE: zk, FILE_MAX_BYTES: String(MAX), LOG_LEVEL: "debug" },
      {},
      chromium,
    );
    for (const js of [true, false]) {
      describe(`${js ? "with" : "without"} JavaScript`, () => {
        roundTrips(suite, { js, zk: zk === "browser" && js });
      });
    }
    if (zk === "browser") describe("the download, once", () => download(suite));
  });
}

function download(suite: Suite) {
  test("without JavaScript a second press opens the 'no longer available' page in a new tab; the text stays", async () => {
    const sender = await suite.person({ javaScriptEnabled: false });
    const file = { name: "once.bin", type: "", bytes: binary(100) };
    const link = await share(sender, suite.server.base, { secret: "still shown", file });
    const reader = await suite.person({ javaScriptEnabled: false });
    const got = await receive(reader, link, { file: true });
    assert.deepEqual(got.bytes, file.bytes);
    const [gone] = await Promise.all([
      reader.context().waitForEvent("page"),
      reader.click("form.download button"),
    ]);
    await gone.waitForLoadState();
    assert.equal(await h1(gone), en("download.gone.title"));
    assert.equal(await reader.inputValue("#revealed"), "still shown", "the revealed page is left as it was");
  });

  test("with JavaScript the button is disabled after the press and says so", async () => {
    const sender = await suite.person({ javaScriptEnabled: false });
    const link = await share(sender, suite.server.base, {
      file: { name: "js.bin", type: "", bytes: binary(10) },
    });
    const reader = await suite.person();
    await receive(reader, link, { file: true });
    await reader.waitForSelector("form.download button[disabled]");
    assert.equal(await text(reader, "#download-hint"), en("revealed.file.started"));
  });

  test("the drop zone fills the same input, which stays usable from the keyboard", async () => {
    const page = await suite.person();
    await page.goto(`${suite.server.base}/`);
    await page.focus("#file");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "file");
    await page.evaluate(() => {
      const dropped = new DataTransfer();
      dropped.items.add(new File([new Uint8Array(1234)], "dropped.pdf", { type: "application/pdf" }));
      const zone = document.querySelector("[data-drop]") as HTMLElement;
      zone.dispatchEvent(
        new DragEvent("dragover", { dataTransfer: dropped, bubbles: true, cancelable: true }),
      );
      zone.dispatchEvent(new DragEvent("drop", { dataTransfer: dropped, bubbles: true, cancelable: true }));
    });
    assert.equal(
      await page.evaluate(() => (document.getElementById("file") as HTMLInputElement).files?.[0]?.name),
      "dropped.pdf",
    );
    const chosen = (await text(page, "#file-chosen")).replace(/\s/g, " ");
    assert.equal(chosen, en("home.file.chosen", { name: "dropped.pdf", size: "1.2 kB" }));
    await page.click("[data-clear-file]");
    assert.equal(
      await page.evaluate(() => (document.getElementById("file") as HTMLInputElement).files?.length),
      0,
    );
    assert.equal(await text(page, "#file-chosen"), "");
  });
}

/** Secrets whose stored ciphertext is at least `bytes` long (SQLite, read-only). */
function bigSecretRows(dataDir: string, bytes: number): number {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (
      db.prepare("SELECT count(*) AS n FROM secrets WHERE length(ciphertext) >= ?").get(bytes) as {
        n: number;
      }
    ).n;
  } finally {
    db.close();
  }
}
