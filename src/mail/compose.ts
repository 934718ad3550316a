import { type Brand, PLAIN_BRAND } from "../branding/brand.js";
import type { Messages } from "../i18n/i18n.js";
import { finishMail, type OutgoingMail, siteName } from "./message.js";

export type { OutgoingMail } from "./message.js";

export interface SecretMailInput {
  to: string;
  sender: string;
  link: string;
  hasPassphrase: boolean;
  /** Encrypted by the sender's browser or terminal: the link lacks its key (the #fragment). */
  clientEncrypted?: boolean;
  expiresAt: number;
  /** The host the links name. */
  site: string;
  /** The brand of the link's host (a share domain's own); absent: unbranded. */
  brand?: Brand;
}

/**
 * The mail that tells a recipient a secret is waiting: the link (never the secret itself), that it
 * works once, when it expires, and — when there is one — that the passphrase comes separately.
 * Replies go to the sender, not to the server.
 */
export function secretMail(m: Messages, input: SecretMailInput): OutgoingMail {
  const { t } = m;
  const brand = input.brand ?? PLAIN_BRAND;
  const site = siteName(brand, input.site);
  const paragraphs = [
    [t("mail.secret.intro", { sender: input.sender, site })],
    [t("mail.secret.link"), { link: input.link }],
    ...(input.clientEncrypted === true ? [[t("mail.secret.client_key")]] : []),
    [t("mail.secret.once"), t("mail.secret.expires", { date: m.dateTime(input.expiresAt) })],
    ...(input.hasPassphrase ? [[t("mail.secret.passphrase")]] : []),
  ];
  return finishMail(
    m,
    brand,
    {
      to: input.to,
      replyTo: input.sender,
      subject: t("mail.secret.subject", { sender: input.sender }),
      host: input.site,
    },
    { paragraphs, footer: [t("mail.secret.footer", { site })] },
  );
}

/** The mail with a one-time link to confirm an address or choose a new password. */
export function accountMail(
  m: Messages,
  input: {
    to: string;
    purpose: "verify" | "reset";
    link: string;
    expiresAt: number;
    site: string;
    brand?: Brand;
  },
): OutgoingMail {
  const { t } = m;
  const { to, purpose } = input;
  const brand = input.brand ?? PLAIN_BRAND;
  const site = siteName(brand, input.site);
  const paragraphs = [
    [t(`mail.${purpose}.intro`, { site })],
    [{ link: input.link }],
    [t("mail.account.expires", { date: m.dateTime(input.expiresAt) }), t(`mail.${purpose}.ignore`)],
  ];
  const subject = t(`mail.${purpose}.subject`, { site });
  return finishMail(m, brand, { to, replyTo: null, subject, host: input.site }, { paragraphs, footer: [] });
}

/**
 * The mail to an address that already has an account when someone signs up with it again: the
 * sign-up page answered as for a new address (so it tells no one the account exists), and the owner
 * learns of it here, with the ways in that need no second account.
 */
export function signupAgainMail(
  m: Messages,
  input: { to: string; site: string; signin: string; forgot: string; brand?: Brand },
): OutgoingMail {
  const { t } = m;
  const brand = input.brand ?? PLAIN_BRAND;
  const site = siteName(brand, input.site);
  const paragraphs = [
    [t("mail.again.intro", { site })],
    [t("mail.again.signin"), { link: input.signin }],
    [t("mail.again.forgot"), { link: input.forgot }],
    [t("mail.again.ignore")],
  ];
  const subject = t("mail.again.subject", { site });
  return finishMail(
    m,
    brand,
    { to: input.to, replyTo: null, subject, host: input.site },
    { paragraphs, footer: [] },
  );
}
