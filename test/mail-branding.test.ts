// Branded mail, against a real SMTP server in process and the outbox's worker: a secret's mail whose
// link is on a share domain wears that domain's name and colour, every other mail the instance's;
// a branded mail is multipart/alternative, a text part and an HTML part that says no more than it
// (the name escaped, never the secret); a mail sealed in the outbox before HTML parts existed still
// goes, as text; an unbranded instance's mail has no HTML part at all.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Brand, type Branding, DEFAULT_BRANDING, PLAIN_BRAND } from "../src/branding/brand.js";
import { queueMail } from "../src/mail/outbox.js";
import { makeAccount, makeTestApp, type TestApp } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { mailParts, type ReceivedMail, startSmtp, type TestSmtp } from "./support/smtp.js";
import { tempDir } from "./support/temp.js";
import { mailEnv, mailWorkerFor, signUpViaForm, unescapeHtml, visitor } from "./support/web-support.js";

const acme: Brand = {
  ...PLAIN_BRAND,
  name: "Acme Secrets",
  accent: { light: "#0b5394", lightText: "#ffffff", dark: "#6fa8dc", darkText: "#000000" },
};
const shareBrand: Brand = {
  ...PLAIN_BRAND,
  name: "Share <b>& Co",
  accent: { light: "#7a1f5c", lightText: "#fdf2f8", dark: "#f0a6d6", darkText: "#1a0010" },
};
const branding: Branding = {
  ...DEFAULT_BRANDING,
  base: acme,
  forHost: (host) => (host.split(":")[0] === "share.example" ? shareBrand : acme),
};

async function conceal(t: TestApp, authorization: string, secret: string, fields: Record<string, unknown>) {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v2/secret/conceal",
    headers: { "content-type": "application/json", authorization },
    payload: JSON.stringify({ secret: { secret, ...fields } }),
  });
  assert.equal(res.statusCode, 200, res.body);
  const record = (res.json() as { record: { secret: { key: string }; receipt: { key: string } } }).record;
  return { secretKey: record.secret.key, metadataKey: record.receipt.key };
}

/** The text and HTML parts of a branded mail; fails unless it is multipart/alternative with both. */
function branded(mail: ReceivedMail) {
  assert.match(mail.headers["content-type"] ?? "", /^multipart\/alternative;/);
  const parts = mailParts(mail);
  assert.deepEqual(
    parts.map((p) => p.type),
    ["text/plain", "text/html"],
  );
  const [text = "", html = ""] = parts.map((p) => p.text);
  return { text, html };
}

/** The HTML part's visible lines, entities undone: the subject (its title), the bar's name, the rest. */
function htmlLines(html: string): string[] {
  return unescapeHtml(html.replace(/<br>/g, "\n").replace(/<[^>]*>/g, ""))
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** The HTML part holds the text part's lines and the name, nothing more. */
function assertSameContent(mail: ReceivedMail, text: string, html: string, name: string) {
  const lines = text.split("\n").filter((l) => l !== "" && l !== "-- ");
  assert.deepEqual(htmlLines(html), [mail.headers.subject, name, ...lines]);
}

describe("branded mail", () => {
  let smtp: TestSmtp;
  let t: TestApp;
  let worker: ReturnType<typeof mailWorkerFor>;
  let alice: { authorization: string; email: string };

  before(async () => {
    smtp = await startSmtp(await freePort());
    t = await makeTestApp({
      RATE_LIMIT_ENABLED: "false",
      AUTH_SIGNUP: "true",
      SHARE_DOMAINS: "share.example",
      ...mailEnv(smtp.port),
    });
    t.deps.branding = branding;
    worker = mailWorkerFor(t.deps);
    alice = await makeAccount(t.deps, "alice@example.com");
  });
  after(async () => {
    await worker.stop();
    await t.close();
    await smtp.close();
  });

  const next = async (match: (m: ReceivedMail) => boolean, what: string) => {
    await worker.drain();
    return smtp.take(match, what);
  };

  test("a secret shared on a share domain: that domain's name and colour, escaped; never the secret", async () => {
    const s = await conceal(t, alice.authorization, "plaintext-share-4711", {
      recipient: "bob@example.com",
      share_domain: "share.example",
      notify: ["burned"],
    });
    const mail = await next((m) => m.to.includes("bob@example.com"), "the secret's mail to bob");
    const { text, html } = branded(mail);
    assert.ok(text.startsWith("alice@example.com used Share <b>& Co to send you a secret.\n"), text);
    assert.match(
      text,
      new RegExp(`^http://share\\.example/secret/${s.secretKey}$`, "m"),
      "the link on its host",
    );
    assert.ok(html.includes("Share &lt;b&gt;&amp; Co"), "the name escaped");
    assert.ok(!html.includes("<b>"), "no markup from the name");
    assert.ok(html.includes("background-color:#7a1f5c;color:#fdf2f8"), "the share domain's bar");
    assert.ok(!html.includes("#0b5394"), "not the instance's colour");
    assert.ok(!mail.raw.includes("plaintext-share-4711"), "the secret is in no part");
    assert.ok(!mail.raw.includes(s.metadataKey), "nor the receipt key");
    assertSameContent(mail, text, html, "Share <b>& Co");
    assert.doesNotMatch(html, /<img|src=|url\(/, "nothing loaded from elsewhere");

    // The burn notice about that same secret links to the dashboard: the instance's brand.
    const burned = await t.app.inject({
      method: "POST",
      url: `/api/v2/receipt/${s.metadataKey}/burn`,
      headers: { "content-type": "application/json", authorization: alice.authorization },
      payload: "{}",
    });
    assert.equal(burned.statusCode, 200, burned.body);
    const notice = await next((m) => m.to.includes("alice@example.com"), "the burn notice");
    const parts = branded(notice);
    assert.ok(parts.text.startsWith("Your secret on Acme Secrets was burned on "), parts.text);
    assert.ok(parts.html.includes("background-color:#0b5394;color:#ffffff"));
    assertSameContent(notice, parts.text, parts.html, "Acme Secrets");
  });

  test("an account mail wears the instance's name and colour, the link still naming the host", async () => {
    await signUpViaForm(visitor(t.app), "carol@example.com", "correct horse battery");
    const mail = await next((m) => m.to.includes("carol@example.com"), "the confirmation mail");
    assert.equal(mail.headers.subject, "Confirm your address for Acme Secrets");
    const { text, html } = branded(mail);
    assert.ok(text.startsWith("Someone (we hope you) created an account on Acme Secrets with this address."));
    assert.match(text, /^http:\/\/localhost:3000\/verify\/[0-9a-z]+$/m);
    assert.ok(html.includes("background-color:#0b5394;color:#ffffff"), "the instance's bar");
    assert.match(
      html,
      /<a href="http:\/\/localhost:3000\/verify\/[0-9a-z]+" style="color:#0b5394;/,
      "the link in the accent",
    );
    assert.ok(!html.includes("#7a1f5c"), "not the share domain's colour");
    assert.match(html, /<html lang="en" dir="ltr">/);
    assertSameContent(mail, text, html, "Acme Secrets");
  });

  test("a mail sealed in the outbox without an HTML part (as before branding) still goes, as text", async () => {
    const old = {
      to: "dave@example.com",
      replyTo: null,
      subject: "Queued long ago",
      text: "Plain as ever.\n",
    };
    await queueMail({ store: t.deps.store, now: t.deps.now, key: t.deps.webKeys.mail }, old, {
      receiptId: null,
      expiresAt: t.deps.now() + 3_600_000,
    });
    const mail = await next((m) => m.to.includes("dave@example.com"), "the old mail");
    assert.match(mail.headers["content-type"] ?? "", /^text\/plain/);
    assert.equal(mail.text, "Plain as ever.\n");
    assert.doesNotMatch(mail.raw, /text\/html/);
  });
});

describe("mail branded by BRAND_FILE", () => {
  test("the loader's brands reach the mails: the share domain's for its secret, the instance's footer line", async () => {
    using dir = tempDir("onetime-brand-mail-");
    const file = join(dir.path, "brand.json");
    writeFileSync(
      file,
      JSON.stringify({
        name: "Acme Secrets",
        accent: "#0b5394",
        footer: { en: "Acme Ltd, 1 Example Road" },
        domains: { "share.example": { name: "Acme Links", accent: "#7a1f5c" } },
      }),
    );
    const smtp = await startSmtp(await freePort());
    const t = await makeTestApp({
      RATE_LIMIT_ENABLED: "false",
      SHARE_DOMAINS: "share.example",
      BRAND_FILE: file,
      ...mailEnv(smtp.port),
    });
    const worker = mailWorkerFor(t.deps);
    try {
      const alice = await makeAccount(t.deps, "alice@example.com");
      await conceal(t, alice.authorization, "plaintext-file-4711", {
        recipient: "bob@example.com",
        share_domain: "share.example",
      });
      await worker.drain();
      const mail = await smtp.take((m) => m.to.includes("bob@example.com"), "the secret's mail");
      const { text, html } = branded(mail);
      assert.ok(text.startsWith("alice@example.com used Acme Links to send you a secret.\n"), text);
      assert.ok(text.endsWith("\nAcme Ltd, 1 Example Road\n"), "the instance's footer line");
      assert.match(html, /background-color:#7a1f5c;color:#[0-9a-f]{6}/, "the domain's accent");
      assertSameContent(mail, text, html, "Acme Links");
    } finally {
      await worker.stop();
      await t.close();
      await smtp.close();
    }
  });
});

describe("unbranded mail", () => {
  test("no BRAND_FILE: text alone, the host as the site's name", async () => {
    const smtp = await startSmtp(await freePort());
    const t = await makeTestApp({ RATE_LIMIT_ENABLED: "false", ...mailEnv(smtp.port) });
    const worker = mailWorkerFor(t.deps);
    try {
      const alice = await makeAccount(t.deps, "alice@example.com");
      await conceal(t, alice.authorization, "plaintext-plain-4711", { recipient: "bob@example.com" });
      await worker.drain();
      const [mail] = await smtp.waitFor(1);
      assert.ok(mail);
      assert.match(mail.headers["content-type"] ?? "", /^text\/plain/);
      assert.doesNotMatch(mail.raw, /text\/html|multipart/);
      assert.ok(mail.text.startsWith("alice@example.com used localhost:3000 to send you a secret.\n"));
      assert.ok(!mail.raw.includes("plaintext-plain-4711"));
    } finally {
      await worker.stop();
      await t.close();
      await smtp.close();
    }
  });
});
