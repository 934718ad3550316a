// The client-side format's fixed test vectors (test/fixtures/zk-vectors.json, checked in Node by
// src/crypto/zk.test.ts) run in real Chromium: src/crypto/zk.ts, bundled as the page script bundles
// it, gives the same blob and proof bytes in the browser's WebCrypto as in Node's, and opens them.

import assert from "node:assert/strict";
import { test } from "node:test";
import { build } from "esbuild";
import { browserSuite } from "./support/browser.js";
import { ZK_VECTORS } from "./support/zk-vectors.js";

const suite = browserSuite();

test("the test vectors give byte-identical blobs and proofs in Chromium, and open there", async () => {
  const bundled = await build({
    entryPoints: [new URL("../src/crypto/zk.ts", import.meta.url).pathname],
    bundle: true,
    write: false,
    format: "iife",
    globalName: "zk",
    platform: "browser",
    target: "es2020",
    logLevel: "warning",
  });
  const code = bundled.outputFiles[0]?.text ?? "";
  const page = await suite.person();
  // A page of this server: a secure context (loopback), as the real pages are.
  await page.goto(`${suite.server.base}/`);
  assert.equal(await page.evaluate(() => window.isSecureContext), true);
  // Evaluated by the DevTools protocol in the page (CSP governs the page's own scripts, not this).
  // tsx compiles this file keeping function names through an `__name` helper that the page lacks.
  await page.evaluate(`${code}; globalThis.zk = zk; globalThis.__name = (f) => f;`);
  const results = await page.evaluate(async (list) => {
    const zk = (globalThis as unknown as { zk: typeof import("../src/crypto/zk.js") }).zk;
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    const bytes = (h: string) => new Uint8Array((h.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)));
    const out = [];
    for (const v of list) {
      const k = bytes(v.k);
      const pass =
        v.passphrase === undefined
          ? undefined
          : { passphrase: v.passphrase, salt: bytes(v.salt ?? ""), iterations: v.iterations ?? 0 };
      const sealed = await zk.sealWithIv(v.text, k, bytes(v.iv), pass);
      out.push({
        blob: hex(sealed.blob),
        proof: hex(sealed.proof),
        proofAlone: hex(await zk.proofFor(k, pass)),
        opened: await zk.open(bytes(v.blob), zk.decodeKey(v.k_b64url), pass),
        key: zk.encodeKey(k),
      });
    }
    return out;
  }, ZK_VECTORS);
  assert.equal(results.length, ZK_VECTORS.length);
  ZK_VECTORS.forEach((v, i) => {
    const got = results[i];
    assert.equal(got?.blob, v.blob, `${v.name}: blob`);
    assert.equal(got?.proof, v.proof, `${v.name}: proof`);
    assert.equal(got?.proofAlone, v.proof, `${v.name}: proofFor`);
    assert.equal(got?.opened, v.text, `${v.name}: open`);
    assert.equal(got?.key, v.k_b64url, `${v.name}: encodeKey`);
  });
});
