// The secret requests' key agreement (test/fixtures/request-vectors.json, checked in Node by
// src/crypto/request-key.test.ts) in real Chromium: src/crypto/request-key.ts, bundled as the page
// script would bundle it, derives the same keys in the browser's WebCrypto, and a fresh pair made
// there opens in Node (and not with another key).

import assert from "node:assert/strict";
import { test } from "node:test";
import { build } from "esbuild";
import * as rq from "../src/crypto/request-key.js";
import { browserSuite } from "./support/browser.js";
import { REQUEST_VECTORS } from "./support/request-vectors.js";

const suite = browserSuite();

test("the request vectors give the same keys in Chromium; a pair made there agrees with Node", async () => {
  const bundled = await build({
    stdin: {
      contents: 'export * as rq from "./request-key.ts";',
      resolveDir: new URL("../src/crypto/", import.meta.url).pathname,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "iife",
    globalName: "onetime",
    platform: "browser",
    target: "es2020",
    logLevel: "warning",
  });
  const code = bundled.outputFiles[0]?.text ?? "";
  const page = await suite.person();
  await page.goto(`${suite.server.base}/`);
  assert.equal(await page.evaluate(() => window.isSecureContext), true);
  await page.evaluate(`${code}; globalThis.onetime = onetime; globalThis.__name = (f) => f;`);
  const results = await page.evaluate(async (list) => {
    const { rq } = (
      globalThis as unknown as { onetime: { rq: typeof import("../src/crypto/request-key.js") } }
    ).onetime;
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    const bytes = (h: string) => new Uint8Array((h.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)));
    const out = [];
    for (const v of list) {
      const sender = await rq.answerKeyWith(
        rq.decodePublicKey(v.requester_public_b64url),
        bytes(v.ephemeral_private),
      );
      const opened = await rq.openAnswerKey(bytes(v.requester_private), bytes(v.sender_key));
      out.push({ senderKey: hex(sender.senderKey), k: hex(sender.k), opened: hex(opened) });
    }
    const fresh = await rq.newRequesterKeys();
    const answer = await rq.answerKey(fresh.publicKey);
    return {
      out,
      fresh: { privateKey: hex(fresh.privateKey), senderKey: hex(answer.senderKey), k: hex(answer.k) },
    };
  }, REQUEST_VECTORS);
  REQUEST_VECTORS.forEach((v, i) => {
    assert.deepEqual(results.out[i], { senderKey: v.sender_key, k: v.k, opened: v.k }, v.name);
  });
  // A pair made by Chromium: Node's run of the same module derives the browser's k; another key does not.
  const unhex = (h: string) => new Uint8Array(Buffer.from(h, "hex"));
  const k = await rq.openAnswerKey(unhex(results.fresh.privateKey), unhex(results.fresh.senderKey));
  assert.equal(Buffer.from(k).toString("hex"), results.fresh.k);
  const other = await rq.newRequesterKeys();
  const wrong = await rq.openAnswerKey(other.privateKey, unhex(results.fresh.senderKey));
  assert.notEqual(Buffer.from(wrong).toString("hex"), results.fresh.k);
});
