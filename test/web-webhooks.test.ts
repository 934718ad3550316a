// The account's webhooks page over HTTP in process: an endpoint added through the form shows its
// signing secret once (a reload does not), its delivery log tells state, tries and last error, it
// is removed by its own account only; CSRF as every account form; English and French.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createWebhookWorker } from "../src/server/webhook-worker.js";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { alertText, createViaForm, signUpViaForm, unescapeHtml, visitor } from "./support/web-support.js";

describe("the webhooks page", () => {
  let t: TestApp;
  before(async () => {
    t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", AUTH_SIGNUP: "true", AUTH_AUTOVERIFY: "true" });
  });
  after(() => t.close());

  test("add (secret once), the log of a failed try, remove; another account cannot remove it", async () => {
    const v = visitor(t.app);
    await signUpViaForm(v, "hooks@example.com", "correct horse battery");
    assert.match((await v.get("/account")).body, /href="\/account\/webhooks"/);
    assert.match((await v.get("/account/webhooks")).body, /No endpoint yet\./);

    const refused = await v.post("/account/webhooks", {
      url: "http://hooks.example.com/x",
      events: "secret.read",
    });
    assert.equal(refused.statusCode, 400);
    assert.equal(alertText(refused), "The URL must start with https://.");
    const none = await v.post("/account/webhooks", { url: "https://hooks.example.com/x" });
    assert.equal(alertText(none), "Choose at least one event.");

    // A name (https): accepted when added, its addresses judged at each delivery.
    const url = "https://onetime-test.localhost.example.invalid/hook";
    const added = await v.post("/account/webhooks", { url, events: "secret.created" });
    assert.equal(added.statusCode, 303);
    const shown = await v.get("/account/webhooks");
    const secret = /id="webhook-secret" class="mono" type="text" readonly value="([^"]+)"/.exec(
      shown.body,
    )?.[1];
    assert.match(secret ?? "", /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.ok(unescapeHtml(shown.body).includes(url));
    const again = await v.get("/account/webhooks");
    assert.ok(!again.body.includes(secret ?? "-"), "shown once");

    await createViaForm(v, { secret: "plaintext-web-hook" });
    await createWebhookWorker(t.deps).drain();
    const log = unescapeHtml((await v.get("/account/webhooks")).body);
    assert.match(
      log,
      /<code>secret\.created<\/code><\/td><td>Queued<\/td><td>1<\/td>\s*<td>—<\/td><td><code>dns_failed<\/code>/,
    );
    assert.ok(!log.includes("plaintext-web-hook"));

    const id = /name="id" value="([^"]+)"/.exec(log)?.[1] ?? "";
    const other = visitor(t.app);
    await signUpViaForm(other, "other@example.com", "correct horse battery");
    await other.get("/account/webhooks");
    const stolen = await other.post("/account/webhooks/remove", { id });
    assert.equal(stolen.statusCode, 404);
    assert.equal(alertText(stolen), "That endpoint no longer exists.");

    assert.equal((await v.post("/account/webhooks/remove", { id, _csrf: "forged" })).statusCode, 403);
    assert.equal((await v.post("/account/webhooks/remove", { id })).statusCode, 303);
    assert.match((await v.get("/account/webhooks")).body, /No endpoint yet\./);
  });

  test("in French", async () => {
    const v = visitor(t.app);
    await signUpViaForm(v, "crochet@example.fr", "correct horse battery");
    await v.get("/account");
    await v.post("/account/language", { locale: "fr" });
    const page = unescapeHtml((await v.get("/account/webhooks")).body);
    assert.match(page, /Aucune adresse pour l'instant\./);
    assert.match(page, /Ajouter l'adresse/);
  });
});
