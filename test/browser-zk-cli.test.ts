// Terminal ↔ browser, in real Chromium: a link made by `onetime share` (sealed in the terminal) opens
// on the secret page with its script, and a link made by the create page (sealed in the browser)
// opens with `onetime get`, with and without a passphrase. One format, src/crypto/zk.ts, on both sides.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { browserSuite, reveal } from "./support/browser.js";
import { onetime } from "./support/cli-client.js";
import { tempDir } from "./support/temp.js";

const suite = browserSuite();
const { person } = suite;
const ZK_LINK = /^http:\/\/[^/]+\/secret\/[0-9a-z]+#[\w-]{43}$/;
const CASES = [
  { label: "without a passphrase", passphrase: undefined },
  { label: "with a passphrase", passphrase: "interop tulip passphrase" },
] as const;

/** `--passphrase-file` for `passphrase` (in `dir`), or nothing. */
function passphraseArgs(dir: string, passphrase: string | undefined): string[] {
  if (passphrase === undefined) return [];
  const file = join(dir, "passphrase");
  writeFileSync(file, passphrase);
  return ["--passphrase-file", file];
}

/** The create page with its script: the full link its receipt shows, `#k` included. */
async function createInBrowser(page: Page, text: string, passphrase: string | undefined): Promise<string> {
  await page.goto(`${suite.server.base}/`);
  await page.fill("#secret", text);
  if (passphrase !== undefined) await page.fill("#passphrase", passphrase);
  await Promise.all([page.waitForURL(/\/receipt\//), page.click("form.create button.primary")]);
  await page.waitForFunction(() =>
    (document.getElementById("share-link") as HTMLInputElement).value.includes("#"),
  );
  return page.inputValue("#share-link");
}

for (const { label, passphrase } of CASES) {
  test(`a link made by onetime share opens in Chromium, ${label}`, async () => {
    using dir = tempDir("onetime-interop-");
    const text = `sealed in the terminal, opened in the page (${label}) ✓`;
    const shared = await onetime(["share", ...passphraseArgs(dir.path, passphrase), text], {
      env: { ONETIME_URL: suite.server.base },
    });
    assert.equal(shared.code, 0, shared.stderr);
    const link = shared.stdout.trimEnd();
    assert.match(link, ZK_LINK);
    assert.equal(await reveal(await person(), link, passphrase), text);
  });

  test(`a link made in Chromium opens with onetime get, ${label}`, async () => {
    using dir = tempDir("onetime-interop-");
    const text = `sealed in the page, opened in the terminal (${label}) ✓`;
    const link = await createInBrowser(await person(), text, passphrase);
    assert.match(link, ZK_LINK);
    const got = await onetime(["get", ...passphraseArgs(dir.path, passphrase), link]);
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, text);
  });
}
