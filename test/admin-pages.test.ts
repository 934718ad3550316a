// The admin pages in process (issue 19, points 3 and 4): who may open them, the figures they show,
// the mail outbox and its retry, the audit log with its filters and its download — and that no
// secret, link, key, passphrase, receipt key, password or token ever appears on any of them or in
// the audit log. Changes to accounts: admin-accounts.test.ts; a real browser: browser-admin.test.ts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { clientKey } from "../src/actions/rate-limit.js";
import { ADMIN, appWithAdmin, PASSWORD } from "./support/admin-app.js";
import type { ManualClock } from "./support/clock.js";
import { basic, makeAccount, postForm, share, type TestApp } from "./support/helpers.js";
import { en } from "./support/web-server.js";
import {
  createViaForm,
  heading,
  notice,
  signInViaForm,
  signUpViaForm,
  unescapeHtml,
  type Visitor,
  visitor,
} from "./support/web-support.js";

let t: TestApp;
let clock: ManualClock;
let admin: Visitor;

before(async () => {
  ({ t, clock, admin } = await appWithAdmin({
    ADMIN_EMAILS: `ops@example.com, ${ADMIN.toUpperCase()}`,
    // Recipients' mail is queued; nothing listens here, and no worker runs: it stays in the outbox.
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: "9",
  }));
});
after(() => t.close());

const ADMIN_PATHS = ["/admin", "/admin/accounts", "/admin/mail", "/admin/audit"];

test("anonymous visitors are sent to sign in, and come back after", async () => {
  const v = visitor(t.app);
  for (const path of ADMIN_PATHS) {
    const res = await v.get(path);
    assert.equal(res.statusCode, 303, path);
    assert.equal(res.headers.location, `/signin?next=${encodeURIComponent(path)}`);
  }
  assert.equal((await v.post("/admin/audit/export")).statusCode, 303, "a change too");
  const back = await signInViaForm(v, ADMIN, PASSWORD, "/admin/mail");
  assert.equal(back.headers.location, "/admin/mail");
});

test("an ordinary account gets 403 on every admin page and change, and the audit log says it tried", async () => {
  const v = visitor(t.app);
  await signUpViaForm(v, "olive@example.com", PASSWORD);
  assert.doesNotMatch((await v.get("/dashboard")).body, /href="\/admin"/, "no admin link for her");
  for (const path of ADMIN_PATHS) {
    const res = await v.get(path);
    assert.equal(res.statusCode, 403, path);
    assert.equal(heading(res), en("error.forbidden.title"));
  }
  const target = t.deps.vault.accountId(ADMIN);
  await v.get("/dashboard");
  assert.equal((await v.post(`/admin/accounts/${target}/disable`)).statusCode, 403);
  assert.equal((await t.deps.store.accounts.get(target))?.disabledAt, null, "nothing changed");
  const denied = await t.deps.store.audit.list({ now: clock.now(), limit: 5, order: "newest" });
  assert.deepEqual(
    denied.map((e) => [e.action, e.actor, e.outcome, e.detail]),
    [
      ["admin_denied", "olive@example.com", "denied", "/admin/accounts"],
      ["admin_denied", "olive@example.com", "denied", "/admin/audit"],
      ["admin_denied", "olive@example.com", "denied", "/admin/mail"],
      ["admin_denied", "olive@example.com", "denied", "/admin/accounts"],
      ["admin_denied", "olive@example.com", "denied", "/admin"],
    ],
  );
  assert.ok(denied.every((e) => e.ip === clientKey(t.deps, { ip: "127.0.0.1" })));
});

test("the overview: what was created, read, burned and expired by day, and what lives now", async () => {
  const { days: before } = await figures();
  const alice = await makeAccount(t.deps, "alice@example.com");
  const read = await share(t.app, { secret: "read me" });
  await share(t.app, { secret: "mine" }, { authorization: alice.authorization });
  const burned = await share(t.app, { secret: "burn me" });
  await postForm(t.app, `/secret/${read.secret_key}`);
  await postForm(t.app, `/private/${burned.metadata_key}/burn`);
  const page = await admin.get("/admin");
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<a href="\/admin" aria-current="page">/, "the admin link is in the header");
  const { days, now } = await figures();
  assert.deepEqual(
    days.slice(0, 3).map((n, i) => n - (before[i] ?? 0)),
    [3, 1, 1],
    "today: 3 created, 1 read, 1 burned",
  );
  assert.equal(
    now.get(en("admin.now.secrets")),
    String((await t.deps.store.size.measure(clock.now())).secrets),
  );
  assert.equal(
    now.get(en("admin.now.accounts")),
    String((await t.deps.store.size.measure(clock.now())).accounts),
  );
});

test("the mail outbox: queued mail without its address or link, retried once no worker can hold it", async () => {
  const sender = visitor(t.app);
  await signUpViaForm(sender, "sam@example.com", PASSWORD);
  await createViaForm(sender, { secret: "for zoe", ttl: "3600", recipient: "zoe@example.net" });
  const page = await admin.get("/admin/mail");
  assert.equal(page.statusCode, 200);
  assert.doesNotMatch(page.body, /zoe@example\.net/, "the recipient stays sealed");
  assert.match(page.body, new RegExp(en("admin.mail.trying")), "just queued: a worker may hold it");
  const [mail] = await t.deps.store.outbox.list("queued", 1, clock.now());
  assert.ok(mail !== undefined);
  clock.advance(120);
  const ready = await admin.get("/admin/mail");
  assert.match(ready.body, new RegExp(`action="/admin/mail/${mail.id}/retry"`));
  const retried = await admin.post(`/admin/mail/${mail.id}/retry`);
  assert.equal(retried.statusCode, 303);
  assert.equal(notice(await admin.get(String(retried.headers.location))), en("notice.mail_retried"));
  assert.equal((await t.deps.store.outbox.list("queued", 1, clock.now()))[0]?.dueAt, clock.now());
  const [entry] = await t.deps.store.audit.list({ now: clock.now(), limit: 1, order: "newest" });
  assert.deepEqual(
    [entry?.action, entry?.actor, entry?.target, entry?.outcome],
    ["mail_retried", ADMIN, mail.id, "ok"],
  );
});

test("the audit log: filtered by account, by a typed IP address (its pseudonym), and downloaded", async () => {
  const about = await admin.get(`/admin/audit?about=${encodeURIComponent("olive@example.com")}`);
  assert.equal(about.statusCode, 200);
  const rows = [...about.body.matchAll(/<tr role="row" class="outcome-(\w+)">/g)];
  assert.ok(rows.length >= 5 && rows.every((r) => r[1] === "denied" || r[1] === "ok"));
  const byIp = await admin.get("/admin/audit?ip=127.0.0.1");
  assert.match(byIp.body, new RegExp(`client=${clientKey(t.deps, { ip: "127.0.0.1" })}`));
  assert.doesNotMatch(byIp.body, /127\.0\.0\.1<\/|>127\.0\.0\.1</, "the address is only in the form field");
  assert.doesNotMatch(
    (await admin.get("/admin/audit?ip=192.0.2.99")).body,
    /class="outcome-/,
    "nobody there",
  );

  await admin.get("/admin/audit");
  const download = await admin.post("/admin/audit/export");
  assert.equal(download.statusCode, 200);
  assert.match(String(download.headers["content-type"]), /^application\/jsonl/);
  assert.match(
    String(download.headers["content-disposition"]),
    /^attachment; filename="onetime-audit-\d{4}-\d\d-\d\d\.jsonl"$/,
  );
  const lines = download.body
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, string>);
  assert.deepEqual(lines.at(-1)?.action, "audit_exported");
  assert.equal(lines.at(-1)?.actor, ADMIN);
  assert.ok(lines.some((l) => l.action === "admin_denied" && l.actor === "olive@example.com"));
});

test("nothing secret on any admin page, in the download or in the audit log", async () => {
  const sender = visitor(t.app);
  await signInViaForm(sender, "sam@example.com", PASSWORD);
  const passphrase = "a passphrase nobody knows";
  const made = await createViaForm(sender, {
    secret: "the web secret",
    passphrase,
    recipient: "yan@example.net",
  });
  const v1 = await share(t.app, { secret: "the api secret", passphrase: "another passphrase" });
  await sender.get("/account");
  await sender.post("/account/token");
  const token = /id="api-token"[^>]*value="([^"]+)"/.exec((await sender.get("/account")).body)?.[1] ?? "";
  await postForm(t.app, "/private/recent", {}, { authorization: basic("sam@example.com", token) });
  const secrets = [
    "the web secret",
    "the api secret",
    passphrase,
    "another passphrase",
    PASSWORD,
    token,
    made.secretPath.split("/").pop() ?? "",
    made.receiptPath.split("/").pop() ?? "",
    v1.secret_key,
    v1.metadata_key,
    "yan@example.net",
    "zoe@example.net",
  ];
  assert.ok(secrets.every((s) => s.length >= 8));
  // Receipt and secret ids (HMACs of the keys) are not keys, but are not shown either.
  const ids = [t.deps.vault.secretId(v1.secret_key), t.deps.vault.receiptId(v1.metadata_key)];
  const accounts = (await admin.get("/admin/accounts")).body;
  const firstId = /action="\/admin\/accounts\/([0-9a-f]+)\/end-sessions"/.exec(accounts)?.[1] ?? "";
  const pages = [
    ...ADMIN_PATHS,
    "/admin/accounts?q=sam",
    `/admin/accounts/${firstId}/delete`,
    "/admin/audit?about=sam%40example.com",
  ];
  const seen: string[] = [];
  for (const path of pages) {
    const res = await admin.get(path);
    assert.equal(res.statusCode, 200, path);
    seen.push(unescapeHtml(res.body));
  }
  await admin.get("/admin/audit");
  seen.push((await admin.post("/admin/audit/export")).body);
  seen.push(
    JSON.stringify(await t.deps.store.audit.list({ now: clock.now(), limit: 10_000, order: "oldest" })),
  );
  for (const value of [...secrets, ...ids]) {
    const where = seen.findIndex((body) => body.includes(value));
    assert.equal(where, -1, `${value} appears on ${pages[where] ?? "the export or the log"}`);
  }
});

/** The overview's figures: today's row of the day table, and the "now" facts by label. */
async function figures(): Promise<{ days: number[]; now: Map<string, string> }> {
  const body = (await admin.get("/admin")).body;
  const today = new Date(clock.now()).toISOString().slice(0, 10);
  const row =
    new RegExp(`<time datetime="${today}">[^<]*</time></td>([\\s\\S]*?)</tr>`).exec(body)?.[1] ?? "";
  const days = [...row.matchAll(/<td[^>]*>([\d,]+)<\/td>/g)].map((m) => Number(m[1]?.replace(/,/g, "")));
  const now = new Map(
    [...body.matchAll(/<dt>([^<]*)<\/dt><dd>(?:<a [^>]*>)?([^<]*)/g)].map((m) => [
      unescapeHtml(m[1] ?? ""),
      m[2] ?? "",
    ]),
  );
  return { days, now };
}
