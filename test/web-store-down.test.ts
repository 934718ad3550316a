// The store fails while someone creates a secret on the web (a real fault: the Redis server is
// killed): the form comes back with everything typed in it and a plain reason, as it does for a
// rate limit, with status 503; the operator's log says the store failed and never holds the text.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { type RedisServer, startRedis } from "./support/redis-server.js";
import { en } from "./support/web-server.js";
import { alertText, unescapeHtml, visitor } from "./support/web-support.js";

let redis: RedisServer;
let t: TestApp;
before(async () => {
  redis = await startRedis();
  t = await makeTestApp({ REDIS_URL: redis.url });
});
after(async () => {
  await t.close();
  redis.kill();
});

test("a store that fails keeps the create form filled in (text, passphrase, lifetime, mode)", async () => {
  const v = visitor(t.app);
  await v.get("/");
  await redis.crash();

  const typed = "\r\nssh-ed25519 AAAAC3Nza my key\r\n  second line";
  for (const mode of ["text", "generate"]) {
    const res = await v.post("/create", { mode, secret: typed, passphrase: "still here", ttl: "3600" });
    assert.equal(res.statusCode, 503, mode);
    assert.equal(alertText(res), en("form.error.store_unavailable"), mode);
    const area = /<textarea id="secret"[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body)?.[1] ?? "";
    // What the browser will show: the text as typed (line ends as the text box holds them).
    assert.equal(unescapeHtml(area).replace(/^\n/, ""), typed.replace(/\r\n/g, "\n"), mode);
    assert.match(res.body, /id="passphrase" name="passphrase" value="still here"/, mode);
    assert.match(res.body, /<option value="3600" selected>/, mode);
    assert.match(res.body, new RegExp(`value="${mode}" id="mode-${mode}" checked`), mode);
  }

  const warnings = t.logs.filter((l) => l.includes('"msg":"store unavailable"'));
  assert.equal(warnings.length, 2, "one warning per failed request");
  assert.deepEqual(
    warnings.map((l) => JSON.parse(l).store),
    ["redis", "redis"],
  );
  assert.ok(!t.logs.some((l) => l.includes("ssh-ed25519") || l.includes("still here")), "no text logged");
});
