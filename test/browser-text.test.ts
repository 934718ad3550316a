// The web keeps a secret's text exactly: a leading newline survives the reveal page, line breaks
// typed on the web come back as LF through the v1 API, and a CRLF sent through the API is copied
// back byte for byte from the reveal page. Checked in a real browser (Debian chromium).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, createSecret, reveal } from "./support/browser.js";

const suite = browserSuite();
const { person } = suite;

/** Reveals through the v1 API, as a script would. */
async function revealByApi(shareUrl: string): Promise<string> {
  const key = new URL(shareUrl).pathname.split("/").pop();
  const res = await fetch(`${suite.server.base}/api/v1/secret/${key}`, { method: "POST" });
  assert.equal(res.status, 200);
  return ((await res.json()) as { value: string }).value;
}

/** The revealed text as the page holds it (a textarea's value turns CR into LF; its default keeps it). */
const exactText = (page: Page) =>
  page.evaluate(() => (document.getElementById("revealed") as HTMLTextAreaElement).defaultValue);

const typed =
  "\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n\n  indented\tand tabbed\n-----END-----\n";

test("text typed on the web comes back byte for byte, on the reveal page and through the API", async () => {
  const sender = await person();
  const onWeb = await createSecret(sender, suite.server.base, { text: typed });
  const reader = await person();
  assert.equal(await reveal(reader, onWeb.shareUrl), typed, "the leading newline is shown");
  assert.equal(await exactText(reader), typed);

  // Through the API, a secret the server encrypted: posted by the plain form (no script).
  const plainForm = await person({ javaScriptEnabled: false });
  const byScript = await createSecret(plainForm, suite.server.base, { text: typed });
  const value = await revealByApi(byScript.shareUrl);
  assert.deepEqual(Buffer.from(value), Buffer.from(typed), "LF line ends, not the CRLF browsers send");
});

test("a generated password, the share link and the revealed text are all in monospace", async () => {
  const page = await person();
  const { shareUrl } = await createSecret(page, suite.server.base, { generate: true });
  const font = (selector: string) => page.locator(selector).evaluate((el) => getComputedStyle(el).fontFamily);
  const mono = await page.evaluate(() => {
    const probe = document.createElement("span");
    probe.className = "mono";
    document.body.append(probe);
    return getComputedStyle(probe).fontFamily;
  });
  assert.match(mono, /monospace/);
  assert.equal(await font("#generated"), mono, "the generated password");
  assert.equal(await font("#share-link"), mono, "the link");
  await reveal(page, shareUrl);
  assert.equal(await font("#revealed"), mono, "the revealed text");
});

test("CRLF sent through the API is kept on the reveal page and by its copy button", async () => {
  const exact = "\r\nwindows line\r\nends\rand a lone CR\n";
  const res = await fetch(`${suite.server.base}/api/v1/share`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ secret: exact, ttl: 3600 }),
  });
  const { secret_key } = (await res.json()) as { secret_key: string };
  const reader = await person({ permissions: ["clipboard-read", "clipboard-write"] });
  await reveal(reader, `${suite.server.base}/secret/${secret_key}`);
  assert.equal(await exactText(reader), exact);
  await reader.click("button[data-copy=revealed]");
  await reader.waitForSelector("button[data-copy=revealed].done");
  assert.equal(await reader.evaluate(() => navigator.clipboard.readText()), exact);
});
