// The admin pages in a real browser (Debian chromium through Playwright), on a real redis-server: an
// ordinary account is refused with 403, the admin follows the header's link to the figures, finds
// an account and disables it with the mouse; the account's open page is signed out on its next
// load and its API token is refused; the audit log shows it, in English and in French; no page
// logs a console error or a Content-Security-Policy violation.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { browserSuite, h1, text } from "./support/browser.js";
import { startRedis } from "./support/redis-server.js";
import { en, fr } from "./support/web-server.js";

const redis = await startRedis();
const suite = browserSuite({
  REDIS_URL: redis.url,
  AUTH_SIGNUP: "true",
  AUTH_AUTOVERIFY: "true",
  ADMIN_EMAILS: "root@example.com",
});
const { person } = suite;
after(() => redis.kill());

const PASSWORD = "correct horse battery";

async function signUp(email: string) {
  const page = await person();
  await page.goto(`${suite.server.base}/signup`);
  await page.fill("#email", email);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(/\/dashboard/), page.click("form.account-form button.primary")]);
  return page;
}

test("403 for an account, then an admin disables it with the mouse: its page and token stop at once", async () => {
  const uma = await signUp("uma@example.com");
  assert.equal(await uma.locator(`nav >> text=${en("nav.admin")}`).count(), 0, "no admin link for her");
  const refused = await uma.goto(`${suite.server.base}/admin`);
  assert.equal(refused?.status(), 403);
  assert.equal(await h1(uma), en("error.forbidden.title"));
  await uma.goto(`${suite.server.base}/account`);
  await Promise.all([
    uma.waitForURL(/\/account$/),
    uma.click(`button >> text=${en("account.token.create")}`),
  ]);
  const token = await uma.inputValue("#api-token");
  const v1 = async () =>
    (
      await fetch(`${suite.server.base}/api/v1/private/recent`, {
        headers: { authorization: `Basic ${Buffer.from(`uma@example.com:${token}`).toString("base64")}` },
      })
    ).status;
  assert.equal(await v1(), 200);

  const root = await signUp("root@example.com");
  await Promise.all([root.waitForURL(/\/admin$/), root.click(`nav >> text=${en("nav.admin")}`)]);
  assert.equal(await h1(root), en("admin.overview.title"));
  assert.equal(await root.locator("#days-title").textContent(), en("admin.days.title", { count: 30 }));
  assert.equal(
    await root.locator("table.admin-table").first().locator("tbody tr").count(),
    31,
    "a total and 30 days",
  );

  await Promise.all([
    root.waitForURL(/\/admin\/accounts$/),
    root.click(`.admin-nav >> text=${en("admin.nav.accounts")}`),
  ]);
  await root.fill("#q", "uma");
  await Promise.all([root.waitForURL(/\/admin\/accounts\?q=uma$/), root.press("#q", "Enter")]);
  const row = root.locator("table.admin-table tbody tr", { hasText: "uma@example.com" });
  assert.equal(await row.count(), 1);
  await Promise.all([
    root.waitForURL(/notice=admin_disabled/),
    row.locator(`button >> text=${en("admin.accounts.disable")}`).click(),
  ]);
  assert.equal(await text(root, "p.notice"), en("notice.admin_disabled"));
  assert.equal(await root.locator("table.admin-table tbody tr.disabled").count(), 1);

  await uma.reload();
  assert.match(uma.url(), /\/signin\?next=%2Faccount$/, "her open page is signed out on its next load");
  assert.equal(await v1(), 404, "her token is refused (v1's Not authorized)");

  await Promise.all([
    root.waitForURL(/\/admin\/audit$/),
    root.click(`.admin-nav >> text=${en("admin.nav.audit")}`),
  ]);
  const entry = root.locator("table.admin-table tbody tr", { hasText: en("admin.action.account_disabled") });
  assert.equal(await entry.count(), 1);
  assert.match((await entry.textContent()) ?? "", /root@example\.com[\s\S]*uma@example\.com/);
  await root.goto(`${suite.server.base}/admin/audit?locale=fr`);
  assert.equal(await h1(root), fr("admin.audit.title"));
  const french = root.locator("table.admin-table tbody tr", { hasText: fr("admin.action.account_disabled") });
  assert.equal(await french.count(), 1);
});
