// The pages' zk_* fields from anyone, not only from the page script: fields that are not base64url,
// a blob the format refuses, a bad iteration count, or a proof on a reveal that is not one are each
// answered with a line or a JSON error, never a server error, and store or consume nothing.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { newKey, seal, toBase64Url } from "../src/crypto/zk.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import { alertText, visitor } from "./support/web-support.js";

let t: TestApp;
before(async () => {
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false" });
});
after(() => t.close());

test("unreadable or refused zk_* fields on /create: the form says so, nothing is stored", async () => {
  const v = visitor(t.app);
  await v.get("/");
  const sealed = await seal("text", newKey());
  const good = { zk_blob: toBase64Url(sealed.blob), zk_proof: toBase64Url(sealed.proof) };
  const cases: Record<string, string>[] = [
    { ...good, zk_blob: "not base64url!" },
    { ...good, zk_proof: "%%%" },
    { ...good, zk_salt: toBase64Url(new Uint8Array(16)), zk_iterations: "many" },
  ];
  for (const form of cases) {
    const res = await v.post("/create", { ttl: "3600", ...form });
    assert.equal(res.statusCode, 400, JSON.stringify(form));
    assert.equal(alertText(res), en("form.error.unreadable"));
  }
  // Readable but refused by the format's rules (a proof of the wrong size): a 4xx line, not a 500.
  const res = await v.post("/create", { ttl: "3600", ...good, zk_proof: toBase64Url(new Uint8Array(5)) });
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `status ${res.statusCode}`);
  // The good form, for comparison, is made.
  const made = await v.post("/create", { ttl: "3600", ...good }, { accept: "application/json" });
  assert.equal(made.statusCode, 200);
  assert.match(made.json().receipt, /^\/receipt\/[a-z0-9]+$/);
});

test("a reveal proof that is not base64url is refused in JSON and consumes nothing", async () => {
  const v = visitor(t.app);
  await v.get("/");
  const k = newKey();
  const sealed = await seal("still here", k);
  const made = await v.post(
    "/create",
    { ttl: "3600", zk_blob: toBase64Url(sealed.blob), zk_proof: toBase64Url(sealed.proof) },
    { accept: "application/json" },
  );
  const receipt = await v.get(made.json().receipt);
  const link = /id="share-link"[^>]* value="[^"]*\/secret\/([a-z0-9]+)"/.exec(receipt.body)?.[1];
  assert.ok(link);
  await v.get(`/secret/${link}`);
  const bad = await v.post(`/secret/${link}`, { zk_proof: "no good!" });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error, en("form.error.unreadable"));
  const right = await v.post(`/secret/${link}`, { zk_proof: toBase64Url(sealed.proof) });
  assert.equal(right.statusCode, 200);
  assert.equal(right.json().blob, toBase64Url(sealed.blob));
});
