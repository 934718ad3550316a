// The client-side format's fixed test vectors (test/fixtures/zk-vectors.json, checked in Node by
// src/crypto/zk.test.ts) run in real Chromium: src/crypto/zk.ts and src/crypto/envelope.ts, bundled as
// the page script bundles them, give the same envelope, blob and proof bytes in the browser's
// WebCrypto as in Node's, and open them.

import assert from "node:assert/strict";
import { test } from "node:test";
import { build } from "esbuild";
import { browserSuite } from "./support/browser.js";
import { ZK_VECTORS } from "./support/zk-vectors.js";

const suite = browserSuite();

test("the test vectors give byte-identical blobs and proofs in Chromium, and open there", async () => {
  const bundled = await build({
    stdin: {
      contents: 'export * as zk from "./zk.ts"; export * as envelope from "./envelope.ts";',
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
  // A page of this server: a secure context (loopback), as the real pages are.
  await page.goto(`${suite.server.base}/`);
  assert.equal(await page.evaluate(() => window.isSecureContext), true);
  // Evaluated by the DevTools protocol in the page (CSP governs the page's own scripts, not this).
  // tsx compiles this file keeping function names through an `__name` helper that the page lacks.
  await page.evaluate(`${code}; globalThis.onetime = onetime; globalThis.__name = (f) => f;`);
  const results = await page.evaluate(async (list) => {
    const { zk, envelope } = (
      globalThis as unknown as {
        onetime: {
          zk: typeof import("../src/crypto/zk.js");
          envelope: typeof import("../src/crypto/envelope.js");
        };
      }
    ).onetime;
    const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    const bytes = (h: string) => new Uint8Array((h.match(/../g) ?? []).map((x) => Number.parseInt(x, 16)));
    const out = [];
    for (const v of list) {
      const k = bytes(v.k);
      const pass =
        v.passphrase === undefined
          ? undefined
          : { passphrase: v.passphrase, salt: bytes(v.salt ?? ""), iterations: v.iterations ?? 0 };
      const file = v.file === undefined ? undefined : { ...v.file, bytes: bytes(v.file.bytes) };
      const plaintext =
        file === undefined
          ? new TextEncoder().encode(v.text)
          : envelope.encodeEnvelope({ text: v.text, file });
      const options = { passphrase: pass, file: file !== undefined };
      const sealed = await zk.sealBytesWithIv(plaintext, k, bytes(v.iv), options);
      const opened = await zk.openBytes(bytes(v.blob), zk.decodeKey(v.k_b64url), options);
      const decoded = file === undefined ? null : envelope.decodeEnvelope(opened);
      out.push({
        blob: hex(sealed.blob),
        proof: hex(sealed.proof),
        proofAlone: hex(await zk.proofFor(k, pass)),
        plaintext: hex(plaintext),
        opened:
          decoded === null
            ? await zk.open(bytes(v.blob), zk.decodeKey(v.k_b64url), pass)
            : {
                text: decoded.text,
                name: decoded.file.name,
                type: decoded.file.type,
                bytes: hex(decoded.file.bytes),
              },
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
    assert.deepEqual(
      got?.opened,
      v.file === undefined ? v.text : { text: v.text, ...v.file },
      `${v.name}: open`,
    );
    if (v.plaintext !== undefined) assert.equal(got?.plaintext, v.plaintext, `${v.name}: envelope`);
    assert.equal(got?.key, v.k_b64url, `${v.name}: encodeKey`);
  });
});
