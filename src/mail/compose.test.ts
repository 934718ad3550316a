import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type Brand, type Branding, DEFAULT_BRANDING, PLAIN_BRAND } from "../branding/brand.js";
import { loadCatalogues } from "../i18n/catalogues.js";
import { createI18n } from "../i18n/i18n.js";
import { accountMail, secretMail, signupAgainMail } from "./compose.js";
import { isBranded, mailBrand, type OutgoingMail } from "./message.js";
import { noticeMail } from "./notice.js";
import { requestAnsweredMail } from "./request-mail.js";

const i18n = createI18n({ catalogues: loadCatalogues(), defaultLocale: "en" });
const en = i18n.messages("en");
const at = Date.UTC(2026, 0, 2, 3, 4);
const site = "host.example";

/** Every mail this server writes, for `brand` (absent: as the actions wrote them before branding). */
function mails(brand?: Brand, m = en): Record<string, OutgoingMail> {
  const b = brand === undefined ? {} : { brand };
  const secret = { to: "bob@example.com", sender: "alice@example.com", link: "https://s.example/secret/k" };
  return {
    secretFull: secretMail(m, {
      ...secret,
      hasPassphrase: true,
      clientEncrypted: true,
      expiresAt: at,
      site,
      ...b,
    }),
    secretPlain: secretMail(m, { ...secret, hasPassphrase: false, expiresAt: at, site, ...b }),
    verify: accountMail(m, {
      to: "a@example.com",
      purpose: "verify",
      link: `https://${site}/verify/t`,
      expiresAt: at,
      site,
      ...b,
    }),
    again: signupAgainMail(m, {
      to: "a@example.com",
      site,
      signin: `https://${site}/signin`,
      forgot: `https://${site}/forgot`,
      ...b,
    }),
    notice: noticeMail(m, {
      to: "a@example.com",
      event: "read",
      at,
      createdAt: at - 60_000,
      viewsUsed: 1,
      views: 2,
      shortId: "abc123",
      dashboard: `https://${site}/dashboard`,
      site,
      ...b,
    }),
    request: requestAnsweredMail(m, {
      to: "a@example.com",
      at,
      createdAt: at - 60_000,
      answersUsed: 1,
      answersMax: 3,
      shortId: "def456",
      dashboard: `https://${site}/dashboard`,
      site,
      ...b,
    }),
  };
}

// What each mail said before branding existed, byte for byte: an unbranded instance still says it.
const BEFORE: Record<string, { subject: string; text: string }> = {
  secretFull: {
    subject: "alice@example.com sent you a secret",
    text: "alice@example.com used host.example to send you a secret.\n\nOpen it with this link:\nhttps://s.example/secret/k\n\nThis secret was encrypted in the sender's browser, and this server never had its key: the link above lacks it. The sender should give you the full link (ending in # and the key) separately, not by email.\n\nThe link works only once: after you open it and confirm, the secret is deleted.\nIt expires on Jan 2, 2026, 3:04 AM UTC.\n\nThis secret is protected by a passphrase. The sender should give it to you separately, not by email.\n\n-- \nSent by host.example on behalf of the sender. If you were not expecting it, ignore this message; replies go to the sender.\n",
  },
  secretPlain: {
    subject: "alice@example.com sent you a secret",
    text: "alice@example.com used host.example to send you a secret.\n\nOpen it with this link:\nhttps://s.example/secret/k\n\nThe link works only once: after you open it and confirm, the secret is deleted.\nIt expires on Jan 2, 2026, 3:04 AM UTC.\n\n-- \nSent by host.example on behalf of the sender. If you were not expecting it, ignore this message; replies go to the sender.\n",
  },
  verify: {
    subject: "Confirm your address for host.example",
    text: "Someone (we hope you) created an account on host.example with this address. Open this link to confirm it:\n\nhttps://host.example/verify/t\n\nThe link works once, until Jan 2, 2026, 3:04 AM UTC.\nIf it was not you, ignore this message: the account stays unconfirmed and cannot be used.\n",
  },
  again: {
    subject: "Someone tried to sign up on host.example with your address",
    text: "Someone (perhaps you) tried to create an account on host.example with this address, which already has one. No second account was made and your password is unchanged.\n\nIf it was you, sign in here:\nhttps://host.example/signin\n\nor, if you forgot your password, choose a new one here:\nhttps://host.example/forgot\n\nIf it was not you, ignore this message: nothing changed.\n",
  },
  notice: {
    subject: "Your secret was read",
    text: "Your secret on host.example was read on Jan 2, 2026, 3:04 AM UTC.\n\nIt is the secret you created on Jan 2, 2026, 3:03 AM UTC (receipt abc123).\nViews read: 1 of 2.\n\nIts receipt is on your dashboard:\nhttps://host.example/dashboard\n\n-- \nSent by host.example because you asked to be told. This email never holds the secret or its link.\n",
  },
  request: {
    subject: "Your secret request was answered",
    text: "Someone answered your secret request on host.example, on Jan 2, 2026, 3:04 AM UTC.\n\nIt is the request you made on Jan 2, 2026, 3:03 AM UTC (answer def456).\nAnswers: 1 of 3.\n\nRead it from your dashboard, with your requester link (the one that holds your private key):\nhttps://host.example/dashboard\n\n-- \nSent by host.example because you asked for a secret. This email never holds the answer, the note or a key.\n",
  },
};

const acme: Brand = {
  ...PLAIN_BRAND,
  name: "Acme Secrets",
  accent: { light: "#0b5394", lightText: "#ffffff", dark: "#6fa8dc", darkText: "#000000" },
  footer: { en: "Acme Ltd, 1 Example Road", fr: "Acme SARL, 1 rue de l'Exemple" },
};

describe("mail composers", () => {
  test("unbranded (no brand, or the plain one): text exactly as before, and no HTML part", () => {
    for (const brand of [undefined, PLAIN_BRAND, DEFAULT_BRANDING.base]) {
      const all = mails(brand);
      for (const [name, before] of Object.entries(BEFORE)) {
        const mail = all[name];
        assert.ok(mail, name);
        assert.equal(mail.subject, before.subject, name);
        assert.equal(mail.text, before.text, name);
        assert.equal(mail.html, undefined, `${name}: no HTML part`);
        assert.ok(!("html" in mail), `${name}: not even an empty html key in the sealed JSON`);
      }
    }
  });

  test("branded: the name where the host was (links keep their host), the brand's footer line, an HTML part", () => {
    const named = (text: string) =>
      text
        .split("\n")
        .map((l) => (l.startsWith("https://") ? l : l.replaceAll(site, "Acme Secrets")))
        .join("\n");
    for (const [name, mail] of Object.entries(mails(acme))) {
      const before = BEFORE[name];
      assert.ok(before, name);
      const footed = before.text.includes("\n-- \n")
        ? `${before.text}Acme Ltd, 1 Example Road\n`
        : `${before.text}\n-- \nAcme Ltd, 1 Example Road\n`;
      assert.equal(mail.text, named(footed), name);
      assert.equal(mail.subject, named(before.subject), name);
      assert.equal(typeof mail.html, "string", name);
      assert.ok(mail.html?.includes("background-color:#0b5394;color:#ffffff"), `${name}: the accent`);
    }
    assert.equal(mails(acme).verify?.subject, "Confirm your address for Acme Secrets");
  });

  test("each text line of the text part is in the HTML part, and nothing else is", () => {
    const mail = mails(acme).secretFull;
    assert.ok(mail?.html !== undefined);
    const decode = (s: string) =>
      s
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&quot;/g, '"')
        .replace(/&#39;/g, "'")
        .replace(/&amp;/g, "&");
    const htmlLines = decode(mail.html.replace(/<br>/g, "\n").replace(/<[^>]*>/g, ""))
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l !== "");
    const textLines = mail.text.split("\n").filter((l) => l !== "" && l !== "-- ");
    assert.deepEqual(htmlLines, [mail.subject, "Acme Secrets", ...textLines]);
  });

  test("a brand with a footer line but no name or accent: the line, but text alone", () => {
    const mail = mails({ ...PLAIN_BRAND, footer: { en: "Imprint: Acme Ltd" } }).notice;
    assert.ok(mail?.text.endsWith("This email never holds the secret or its link.\nImprint: Acme Ltd\n"));
    assert.equal(mail?.html, undefined);
    assert.equal(isBranded({ ...PLAIN_BRAND, accent: acme.accent }), true, "an accent alone is branded");
  });

  test("the HTML part is in the mail's language and direction", () => {
    const ar = mails(acme, i18n.messages("ar")).notice;
    assert.match(ar?.html ?? "", /<html lang="ar" dir="rtl">/);
    const fr = mails(acme, i18n.messages("fr")).notice;
    assert.match(fr?.html ?? "", /<html lang="fr" dir="ltr">/);
    assert.ok(fr?.text.includes("Acme SARL, 1 rue de l'Exemple"), "the footer line in French");
  });

  test("a share domain's mail wears that domain's brand; any other, the instance's", () => {
    const share: Brand = { ...acme, name: "Share Co" };
    const branding: Branding = {
      ...DEFAULT_BRANDING,
      base: acme,
      forHost: (h) => (h === "share.example" ? share : acme),
    };
    assert.equal(mailBrand(branding, "share.example"), share);
    assert.equal(mailBrand(branding, ""), acme);
    assert.equal(mailBrand(branding), acme);
    assert.equal(mailBrand(undefined, "share.example"), PLAIN_BRAND, "no branding: the plain brand");
  });
});
