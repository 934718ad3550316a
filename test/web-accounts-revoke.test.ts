// What a new password ends, and what the sign-up form tells, against a real SMTP server in process:
// a password change or a reset revokes the API token (issue 16, point 4), a reset ends every other
// reset link (point 9), and signing up with a taken address answers as for a new one while its
// owner is told by mail (point 10).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { basic, makeTestApp, postForm, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { type ReceivedMail, startSmtp, type TestSmtp } from "./support/smtp.js";
import { en } from "./support/web-server.js";
import {
  alertText,
  createViaForm,
  mailEnv,
  mailWorkerFor,
  notice,
  signInViaForm,
  signUpViaForm,
  type Visitor,
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

const mailTo = (to: string): Promise<ReceivedMail> => smtp.take((m) => m.to.includes(to), `a mail to ${to}`);

function linkIn(mail: ReceivedMail, purpose: string): string {
  const link = new RegExp(`^http://localhost:3000(/${purpose}/[0-9a-z]+)$`, "m").exec(mail.text)?.[1];
  assert.ok(link, `a /${purpose}/ link in the mail`);
  return link;
}

/** A confirmed account, signed in on the returned visitor. */
async function confirmedAccount(email: string): Promise<Visitor> {
  const v = visitor(t.app);
  await signUpViaForm(v, email, PASSWORD);
  const link = linkIn(await mailTo(email), "verify");
  await v.get(link);
  assert.equal((await v.post(link)).statusCode, 303);
  await signInViaForm(v, email, PASSWORD);
  return v;
}

/** A new API token from the account page, as its owner would make one. */
async function apiToken(v: Visitor): Promise<string> {
  await v.get("/account");
  assert.equal((await v.post("/account/token")).statusCode, 303);
  const token = /id="api-token"[^>]*value="([^"]+)"/.exec((await v.get("/account")).body)?.[1];
  assert.ok(token !== undefined, "the new token is shown");
  return token;
}

const recentWith = (email: string, token: string) =>
  postForm(t.app, "/private/recent", {}, { authorization: basic(email, token) });

/** How the v1 API refuses credentials (404 with this message, as Onetime Secret answers). */
function assertRefused(res: LightMyRequestResponse, message: string): void {
  assert.equal(res.statusCode, 404, message);
  assert.deepEqual(res.json(), { message: "Not authorized" }, message);
}

/** A reset link for `email`, asked through the form and read from the mail. */
async function resetLink(email: string): Promise<string> {
  const v = visitor(t.app);
  await v.get("/forgot");
  assert.equal((await v.post("/forgot", { email })).statusCode, 303);
  return linkIn(await mailTo(email), "reset");
}

async function useResetLink(link: string, password: string): Promise<LightMyRequestResponse> {
  const v = visitor(t.app);
  await v.get(link);
  return v.post(link, { password });
}

test("a password change revokes the API token: refused at once, no copy of the list key left for it", async () => {
  const email = "rita@example.com";
  const v = await confirmedAccount(email);
  const token = await apiToken(v);
  assert.equal((await recentWith(email, token)).statusCode, 200, "the token works before");
  const id = t.deps.vault.accountId(email);
  // What someone holding the token and a copy of the database from before the change can open.
  const wrapped = (await t.deps.store.accounts.get(id))?.wrappedListKey ?? Buffer.alloc(0);
  const oldListKey = t.deps.vault.unwrapListKey(token, id, wrapped);
  assert.ok(oldListKey !== null);
  const before = await createViaForm(v, { secret: "made before the change", ttl: "3600" });

  await v.get("/account");
  const changed = await v.post("/account/password", { current: PASSWORD, next: "a second passphrase" });
  assert.equal(changed.statusCode, 303);
  const page = await v.get(String(changed.headers.location));
  assert.equal(notice(page), en("notice.password_changed"));
  assert.match(notice(page), /API token was revoked/, "the account page says so");

  // A secret made after the change: the old token can neither list it nor open the list at all.
  const made = await createViaForm(v, { secret: "made after the change", ttl: "3600" });
  assertRefused(await recentWith(email, token), "the old token is refused");
  const row = await t.deps.store.accounts.get(id);
  assert.equal(row?.tokenHash, null, "no token hash left");
  assert.equal(row?.wrappedListKey, null, "no copy of the list key left for any token");

  // The list moved to a new list key: the old one opens none of its entries, old or new.
  const entries = await t.deps.store.secrets.listReceipts(id, 0, Date.now());
  assert.equal(entries.length, 2);
  for (const { receipt, sealedMetadataKey } of entries)
    assert.equal(t.deps.vault.openMetadataKey(oldListKey, receipt.id, sealedMetadataKey), null);

  // A new token follows the same list, with both secrets on it.
  const fresh = await apiToken(v);
  const listed = (await recentWith(email, fresh)).json() as { metadata_key: string }[];
  const paths = [made, before].map((m) => m.receiptPath.split("/").pop());
  assert.deepEqual(listed.map((r) => r.metadata_key).sort(), paths.sort());
});

test("a reset revokes the API token too", async () => {
  const email = "sami@example.com";
  const v = await confirmedAccount(email);
  const token = await apiToken(v);
  assert.equal((await recentWith(email, token)).statusCode, 200);
  const done = await useResetLink(await resetLink(email), "a brand new passphrase");
  assert.equal(done.statusCode, 303);
  assert.match(notice(await visitor(t.app).get(String(done.headers.location))), /API token was revoked/);
  assertRefused(await recentWith(email, token), "the old token is refused");

  const w = visitor(t.app);
  await signInViaForm(w, email, "a brand new passphrase");
  await createViaForm(w, { secret: "made after the reset", ttl: "3600" });
  assertRefused(await recentWith(email, token), "and lists nothing made after");
});

test("a successful reset ends every other reset link still in the mailbox", async () => {
  const email = "tove@example.com";
  await confirmedAccount(email);
  const first = await resetLink(email);
  const second = await resetLink(email);
  assert.notEqual(first, second);
  assert.equal((await useResetLink(second, "the second new passphrase")).statusCode, 303);
  const old = await useResetLink(first, "an attacker's passphrase");
  assert.equal(old.statusCode, 400, "the older link is dead");
  assert.equal(alertText(old), en("auth.error.link_invalid"));
  await signInViaForm(visitor(t.app), email, "the second new passphrase");
  // A link asked for after the reset works.
  assert.equal((await useResetLink(await resetLink(email), "a third passphrase!")).statusCode, 303);
});

test("sign-up answers alike for a taken and a new address; the owner of the taken one is told by mail", async () => {
  const taken = "ursa@example.com";
  await confirmedAccount(taken);
  const fresh = "vera@example.com";
  const answer = async (email: string) => {
    const v = visitor(t.app);
    await v.get("/signup");
    const res = await v.post("/signup", { email, password: "some other passphrase" });
    const cookies = (res.cookies as { name: string; value: string }[]).map(({ value: _, ...rest }) => rest);
    return { status: res.statusCode, location: res.headers.location, body: res.body, cookies };
  };
  const forTaken = await answer(taken);
  const forNew = await answer(fresh);
  assert.deepEqual(forTaken, forNew);
  assert.equal(forNew.status, 303);
  assert.equal(forNew.location, "/signin?notice=check_mail");

  const toOwner = await mailTo(taken);
  assert.equal(toOwner.headers.subject, en("mail.again.subject", { site: "localhost:3000" }));
  assert.match(toOwner.text, /^http:\/\/localhost:3000\/forgot$/m);
  assert.doesNotMatch(toOwner.text, /\/(verify|reset)\//, "no link that changes anything");
  linkIn(await mailTo(fresh), "verify");
  await worker.drain();
  assert.deepEqual(
    smtp.received.filter((m) => m.to.includes(taken) || m.to.includes(fresh)),
    [],
    "one mail each, nothing more",
  );
  // The taken account is untouched: its password still signs in.
  await signInViaForm(visitor(t.app), taken, PASSWORD);
});
