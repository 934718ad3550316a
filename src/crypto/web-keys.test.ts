import assert from "node:assert/strict";
import { test } from "node:test";
import { deriveServerKeys } from "./keys.js";
import { deriveWebKeys } from "./web-keys.js";

// These keys sign live sessions and CSRF tokens and seal queued mail: a change to their derivation
// would sign everyone out and leave the outbox and the webhooks' signing secrets unreadable. The expected values were computed apart
// from this code (HKDF-SHA256 of a root of 32 bytes 0x07, salt "onetime/web", info = the key's name).
test("the web and mail sub-keys are HKDF-SHA256 of the root under their own labels, unchanged", () => {
  const keys = deriveWebKeys(Buffer.alloc(32, 7));
  assert.deepEqual(
    Object.fromEntries(Object.entries(keys).map(([name, key]) => [name, key.toString("hex")])),
    {
      csrf: "71e82f0acdcc183f4a9ef69a5b2fbd03a1f386c4c6af21a586ef58399f9a373e",
      flash: "5cfbd6a27041d5d65d1398af78a15fb132d7034d7b9943ff68353052e851a633",
      mail: "2d67e313d841544d359111dd84d2b793b3efe5cf3e708e273c11e5064ef1deba",
      session: "d8648476f74c47216db161910a03fabe1bf780ae595ba9395529428457daf21e",
      oidc: "97770d2e998388b72bb531d11a82a79cef6a67b48a67f86a64ed80064f1bf7c8",
      webhooks: "e00ab5aebbcfd20cdeb1938143b084eb0a74f6a956ae400ce4b9f99e9d61da8b",
    },
  );
});

test("none of them equals a key of the store's crypto model", () => {
  const root = Buffer.alloc(32, 7);
  const server = Object.values(deriveServerKeys(root)).map((k) => k.toString("hex"));
  for (const key of Object.values(deriveWebKeys(root))) assert.ok(!server.includes(key.toString("hex")));
});
