// View limits on the web pages, in process (what a browser without JavaScript gets): the create
// form's views field bounded by the caller's ceiling, the confirmation and revealed pages saying
// whether the link works again, and the receipt and the dashboard showing the views used and left
// and when each was read. Chromium, with and without JavaScript: browser-views.test.ts.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import {
  alertText,
  createViaForm,
  heading,
  signUpViaForm,
  unescapeHtml,
  visitor,
} from "./support/web-support.js";

let t: TestApp;
before(async () => {
  t = await makeTestApp({
    RATE_LIMIT_ENABLED: "false",
    AUTH_SIGNUP: "true",
    AUTH_AUTOVERIFY: "true",
    VIEWS_MAX: "5",
    VIEWS_MAX_ANONYMOUS: "3",
  });
});
after(() => t.close());

const viewsInput = (body: string) => /<input type="number" id="views"[^>]*>/.exec(body)?.[0] ?? "";
const noticeOf = (body: string) =>
  unescapeHtml(/<p class="notice" role="status" id="revealed-views"[^>]*>([^<]*)<\/p>/.exec(body)?.[1] ?? "");
const lead = (body: string) => unescapeHtml(/<p class="lead">([^<]*)<\/p>/.exec(body)?.[1] ?? "");

describe("the create form", () => {
  test("offers 1 up to the caller's ceiling: VIEWS_MAX_ANONYMOUS anonymous, VIEWS_MAX signed in", async () => {
    const anonymous = viewsInput((await visitor(t.app).get("/")).body);
    assert.match(anonymous, /name="views" value="1" min="1" max="3"/);
    const v = visitor(t.app);
    await signUpViaForm(v, "ann@example.com", "correct horse battery");
    assert.match(viewsInput((await v.get("/")).body), /max="5"/);
  });

  test("out of range, the form comes back filled in and says the range; nothing is stored", async () => {
    const v = visitor(t.app);
    await v.get("/");
    for (const views of ["4", "0", "two"]) {
      const res = await v.post("/create", { secret: "kept text", views });
      assert.equal(res.statusCode, 422, views);
      assert.equal(alertText(res), en("form.error.views", { count: 3 }));
      assert.match(res.body, />\nkept text<\/textarea>/);
      assert.match(viewsInput(res.body), new RegExp(`value="${views}"`));
    }
  });

  test("without a ceiling above 1, there is no views field", async () => {
    const one = await makeTestApp({ VIEWS_MAX: "1" });
    try {
      assert.equal(viewsInput((await visitor(one.app).get("/")).body), "");
      const made = await createViaForm(visitor(one.app), { secret: "once" });
      assert.doesNotMatch(made.receipt.body, /class="views"/);
    } finally {
      await one.close();
    }
  });
});

describe("a 3-view secret", () => {
  test("each reader is told whether the link works again; the receipt keeps every read time", async () => {
    const alice = visitor(t.app);
    const { receiptPath, receipt, secretPath } = await createViaForm(alice, {
      secret: "for three",
      views: "3",
    });
    assert.match(receipt.body, new RegExp(en("receipt.views.count", { used: 0, views: 3, left: 3 })));
    assert.match(unescapeHtml(receipt.body), new RegExp(en("receipt.share.hint.views", { count: 3 })));
    assert.doesNotMatch(receipt.body, /class="read-times"/);

    const notes = [
      en("revealed.views.more", { count: 2 }),
      en("revealed.views.one"),
      `${en("revealed.views.last")} ${en("revealed.destroyed")}`,
    ];
    const leads = [
      en("secret.lead.views", { count: 3 }),
      en("secret.lead.views", { count: 2 }),
      en("secret.lead"),
    ];
    for (const [i, note] of notes.entries()) {
      const reader = visitor(t.app);
      const confirm = await reader.get(secretPath);
      assert.equal(lead(confirm.body), leads[i]);
      const revealed = await reader.post(secretPath);
      assert.equal(revealed.statusCode, 200);
      assert.equal(heading(revealed), en("revealed.title"));
      assert.match(revealed.body, /<textarea id="revealed"[^>]*>\nfor three<\/textarea>/);
      assert.equal(noticeOf(revealed.body), note);
      const page = await alice.get(receiptPath);
      assert.equal((page.body.match(/<li><time datetime=/g) ?? []).length, i + 1, "one read time per view");
      const left = 2 - i;
      assert.match(page.body, new RegExp(en("receipt.views.count", { used: i + 1, views: 3, left })));
      assert.equal(/id="share-link"/.test(page.body), left > 0, "the link is shown while it still works");
    }
    assert.equal((await visitor(t.app).post(secretPath)).statusCode, 404);
    assert.match((await alice.get(receiptPath)).body, /class="badge state-received"/);
  });

  test("a wrong passphrase spends no view, and the form that comes back still says how many are left", async () => {
    const { secretPath } = await createViaForm(visitor(t.app), {
      secret: "guarded",
      passphrase: "pp",
      views: "3",
    });
    const reader = visitor(t.app);
    await reader.get(secretPath);
    const wrong = await reader.post(secretPath, { passphrase: "no" });
    assert.equal(wrong.statusCode, 403);
    assert.equal(alertText(wrong), en("form.error.wrong_passphrase"));
    assert.equal(lead(wrong.body), en("secret.lead.views", { count: 3 }));
    const right = await reader.post(secretPath, { passphrase: "pp" });
    assert.equal(noticeOf(right.body), en("revealed.views.more", { count: 2 }));
  });

  test("the dashboard shows the views used of each secret", async () => {
    const v = visitor(t.app);
    await signUpViaForm(v, "bob@example.com", "correct horse battery");
    const { secretPath } = await createViaForm(v, { secret: "for five", views: "5" });
    const reader = visitor(t.app);
    await reader.get(secretPath);
    assert.equal((await reader.post(secretPath)).statusCode, 200);
    const dashboard = await v.get("/dashboard");
    assert.match(dashboard.body, new RegExp(`data-label="${en("dashboard.col.views")}">1 of 5<`));
  });
});
