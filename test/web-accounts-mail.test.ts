// The account flows that go through the mail, against a real SMTP server in process and the outbox's
// worker: address confirmation, password reset (one use, expiry), and the recipient field whose
// delivery state shows on the receipt and the dashboard.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { makeTestApp, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { type ReceivedMail, startSmtp, type TestSmtp } from "./support/smtp.js";
import { en } from "./support/web-server.js";
import {
  alertText,
  heading,
  mailEnv,
  mailWorkerFor,
  notice,
  signInViaForm,
  signUpViaForm,
  unescapeHtml,
  visitor,
} from "./support/web-support.js";

const PASSWORD = "correct horse battery";

let smtp: TestSmtp;
let t: TestApp;
let worker: ReturnType<typeof mailWorkerFor>;

before(async () => {
  smtp = await startSmtp(await freePort());
  t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", AUTH_SIGNUP: "true", ...mailEnv(smtp.port) });
  worker = mailWorkerFor(t.deps);
  worker.start();
});
after(async () => {
  await worker.stop();
  await t.close();
  await smtp.close();
});

/** The next mail to `to`, waiting for it. */
function mailTo(to: string): Promise<ReceivedMail> {
  return smtp.take((m) => m.to.includes(to), `a mail to ${to}`);
}

const linkIn = (mail: ReceivedMail, purpose: string) => {
  const link = new RegExp(`^http://localhost:3000(/${purpose}/[0-9a-z]+)$`, "m").exec(mail.text)?.[1];
  assert.ok(link, `a /${purpose}/ link in the mail`);
  return link;
};

/** Opens a confirmation link and presses its button, as its owner would. */
async function confirm(link: string): Promise<void> {
  const v = visitor(t.app);
  await v.get(link);
  const res = await v.post(link);
  assert.equal(res.statusCode, 303);
}

test("sign-up needs the mailed link: GET only asks, POST confirms once; then sign-in works", async () => {
  const v = visitor(t.app);
  const res = await signUpViaForm(v, "nina@example.com", PASSWORD);
  assert.equal(res.statusCode, 303);
  assert.equal(res.headers.location, "/signin?notice=check_mail");
  assert.equal(v.cookies.get("ot_session"), undefined, "not signed in yet");
  assert.equal(notice(await v.get("/signin?notice=check_mail")), en("notice.check_mail"));

  const early = await v.post("/signin", { email: "nina@example.com", password: PASSWORD });
  assert.equal(early.statusCode, 403);
  assert.equal(alertText(early), en("auth.error.unverified"));

  const mail = await mailTo("nina@example.com");
  assert.equal(mail.headers.subject, en("mail.verify.subject", { site: "localhost:3000" }));
  const link = linkIn(mail, "verify");
  // A mail scanner (or the person, twice) opening the link confirms nothing.
  const reader = visitor(t.app);
  for (let i = 0; i < 2; i++) {
    const page = await reader.get(link);
    assert.equal(page.statusCode, 200);
    assert.equal(heading(page), en("verify.title"));
    assert.match(page.body, new RegExp(`<form method="post" action="${link}"`));
  }
  assert.equal((await v.post("/signin", { email: "nina@example.com", password: PASSWORD })).statusCode, 403);

  const confirmed = await reader.post(link);
  assert.equal(confirmed.statusCode, 303);
  assert.equal(confirmed.headers.location, "/signin?notice=confirmed");
  assert.equal(notice(await reader.get("/signin?notice=confirmed")), en("notice.confirmed"));
  await signInViaForm(v, "nina@example.com", PASSWORD);
  assert.equal((await v.get("/dashboard")).statusCode, 200);

  const again = await reader.post(link);
  assert.equal(again.statusCode, 400, "the link works once");
  assert.equal(alertText(again), en("auth.error.link_invalid"));
  assert.match(again.body, /href="\/forgot"/);
  const token = link.split("/")[2] ?? "";
  assert.ok(!t.logs.join("").includes(token), "the link's token is not logged");
});

test("forgot password: the same answer for any address; the mailed link sets a new password once", async () => {
  const v = visitor(t.app);
  await signUpViaForm(v, "omar@example.com", PASSWORD);
  await confirm(linkIn(await mailTo("omar@example.com"), "verify"));
  const other = visitor(t.app);
  await signInViaForm(other, "omar@example.com", PASSWORD);

  const answers = [];
  for (const email of ["nobody@example.com", "omar@example.com", "not an address"]) {
    await v.get("/forgot");
    const res = await v.post("/forgot", { email });
    answers.push([res.statusCode, res.headers.location]);
  }
  assert.deepEqual(answers, Array(3).fill([303, "/forgot?notice=reset_sent"]));
  assert.equal(notice(await v.get("/forgot?notice=reset_sent")), en("notice.reset_sent"));
  const mail = await mailTo("omar@example.com");
  assert.equal(mail.headers.subject, en("mail.reset.subject", { site: "localhost:3000" }));
  const link = linkIn(mail, "reset");
  assert.equal(smtp.received.filter((m) => m.to.includes("nobody@example.com")).length, 0);

  const form = await v.get(link);
  assert.equal(heading(form), en("reset.title"));
  const short = await v.post(link, { password: "short" });
  assert.equal(short.statusCode, 400);
  assert.equal(alertText(short), en("auth.error.password_too_short", { count: 8 }));
  assert.match(short.body, /name="password"/, "a too-short password does not use the link up");

  const done = await v.post(link, { password: "a brand new passphrase" });
  assert.equal(done.statusCode, 303);
  assert.equal(done.headers.location, "/signin?notice=password_reset");
  assert.equal((await other.get("/dashboard")).statusCode, 303, "every session was signed out");
  await v.get("/signin");
  assert.equal((await v.post("/signin", { email: "omar@example.com", password: PASSWORD })).statusCode, 401);
  await signInViaForm(v, "omar@example.com", "a brand new passphrase");

  const stranger = visitor(t.app);
  await stranger.get(link);
  const reused = await stranger.post(link, { password: "yet another passphrase" });
  assert.equal(reused.statusCode, 400, "the link works once");
  assert.equal(alertText(reused), en("auth.error.link_invalid"));
  assert.doesNotMatch(reused.body, /name="password"/);
});

test("a reset link expires after an hour", async () => {
  const v = visitor(t.app);
  await signUpViaForm(v, "pia@example.com", PASSWORD);
  await confirm(linkIn(await mailTo("pia@example.com"), "verify"));
  await v.get("/forgot");
  await v.post("/forgot", { email: "pia@example.com" });
  const link = linkIn(await mailTo("pia@example.com"), "reset");
  const realNow = t.deps.now;
  t.deps.now = () => realNow() + 3600_000 + 1000;
  try {
    await v.get(link);
    const late = await v.post(link, { password: "a brand new passphrase" });
    assert.equal(late.statusCode, 400);
    assert.equal(alertText(late), en("auth.error.link_invalid"));
  } finally {
    t.deps.now = realNow;
  }
  await signInViaForm(v, "pia@example.com", PASSWORD);
});

test("the recipient field (signed in only) mails the link, never the secret; receipt and dashboard show delivery", async () => {
  const anonymous = visitor(t.app);
  assert.doesNotMatch((await anonymous.get("/")).body, /id="recipient"/, "not offered when signed out");
  const forged = await anonymous.post("/create", { secret: "x", ttl: "3600", recipient: "zoe@example.net" });
  assert.equal(forged.statusCode, 401);
  assert.equal(alertText(forged), en("form.error.recipient_needs_account"));

  const v = visitor(t.app);
  await signUpViaForm(v, "quinn@example.com", PASSWORD);
  await confirm(linkIn(await mailTo("quinn@example.com"), "verify"));
  await signInViaForm(v, "quinn@example.com", PASSWORD);
  const home = await v.get("/");
  assert.match(home.body, /<input type="email" id="recipient" name="recipient"/);

  const bad = await v.post("/create", { secret: "keep me", ttl: "3600", recipient: "no address here" });
  assert.equal(bad.statusCode, 400);
  assert.equal(alertText(bad), en("form.error.undeliverable_recipient", { address: "no address here" }));
  assert.match(bad.body, />\nkeep me<\/textarea>/);
  assert.match(bad.body, /name="recipient" value="no address here"/);

  const made = await v.post("/create", {
    secret: "the-plaintext-2024",
    ttl: "3600",
    recipient: "Zoe <zoe@example.net>",
  });
  assert.equal(made.statusCode, 303);
  const receiptPath = String(made.headers.location);
  const mail = await mailTo("zoe@example.net");
  assert.equal(mail.headers["reply-to"], "quinn@example.com");
  assert.match(mail.text, /^http:\/\/localhost:3000\/secret\/[0-9a-z]{31}$/m);
  assert.ok(!mail.raw.includes("the-plaintext-2024"), "the secret is not in the mail");
  assert.ok(!mail.raw.includes(receiptPath.split("/")[2] ?? "?"), "nor the receipt key");

  // The mail is in; the worker records it as sent in the same drain: wait for that drain.
  await worker.drain();
  const receipt = await v.get(receiptPath);
  assert.match(receipt.body, /class="mail-sent"/);
  assert.match(receipt.body, /zo\*\*\*\*\*@e\*\*\*\*\*\.net/);
  const dashboard = await v.get("/dashboard");
  const row = /<tr role="row">\s*<td[\s\S]*?<\/tr>/.exec(dashboard.body)?.[0] ?? "";
  assert.match(row, /zo\*\*\*\*\*@e\*\*\*\*\*\.net/, "the masked recipient");
  assert.match(unescapeHtml(row), /<td [^>]*class="mail-sent">Sent on /, "the delivery state");
  assert.match(row, new RegExp(`href="${receiptPath}"`));
});
