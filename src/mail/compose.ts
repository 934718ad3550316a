import type { Messages } from "../i18n/i18n.js";

/** A message ready for SMTP; it is sealed as a whole while it waits in the outbox. */
export interface OutgoingMail {
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
}

export interface SecretMailInput {
  to: string;
  sender: string;
  link: string;
  hasPassphrase: boolean;
  /** Encrypted by the sender's browser or terminal: the link lacks its key (the #fragment). */
  clientEncrypted?: boolean;
  expiresAt: number;
  site: string;
}

/**
 * The mail that tells a recipient a secret is waiting: the link (never the secret itself), that it
 * works once, when it expires, and — when there is one — that the passphrase comes separately.
 * Replies go to the sender, not to the server.
 */
export function secretMail(m: Messages, input: SecretMailInput): OutgoingMail {
  const { t } = m;
  const lines = [
    t("mail.secret.intro", { sender: input.sender, site: input.site }),
    "",
    t("mail.secret.link"),
    input.link,
    "",
    ...(input.clientEncrypted === true ? [t("mail.secret.client_key"), ""] : []),
    t("mail.secret.once"),
    t("mail.secret.expires", { date: m.dateTime(input.expiresAt) }),
  ];
  if (input.hasPassphrase) lines.push("", t("mail.secret.passphrase"));
  lines.push("", "-- ", t("mail.secret.footer", { site: input.site }));
  return {
    to: input.to,
    replyTo: input.sender,
    subject: t("mail.secret.subject", { sender: input.sender }),
    text: `${lines.join("\n")}\n`,
  };
}

/** The mail with a one-time link to confirm an address or choose a new password. */
export function accountMail(
  m: Messages,
  {
    to,
    purpose,
    link,
    expiresAt,
    site,
  }: { to: string; purpose: "verify" | "reset"; link: string; expiresAt: number; site: string },
): OutgoingMail {
  const { t } = m;
  const text = [
    t(`mail.${purpose}.intro`, { site }),
    "",
    link,
    "",
    t("mail.account.expires", { date: m.dateTime(expiresAt) }),
    t(`mail.${purpose}.ignore`),
  ].join("\n");
  return { to, replyTo: null, subject: t(`mail.${purpose}.subject`, { site }), text: `${text}\n` };
}

/**
 * The mail to an address that already has an account when someone signs up with it again: the
 * sign-up page answered as for a new address (so it tells no one the account exists), and the owner
 * learns of it here, with the ways in that need no second account.
 */
export function signupAgainMail(
  m: Messages,
  { to, site, signin, forgot }: { to: string; site: string; signin: string; forgot: string },
): OutgoingMail {
  const { t } = m;
  const text = [
    t("mail.again.intro", { site }),
    "",
    t("mail.again.signin"),
    signin,
    "",
    t("mail.again.forgot"),
    forgot,
    "",
    t("mail.again.ignore"),
  ].join("\n");
  return { to, replyTo: null, subject: t("mail.again.subject", { site }), text: `${text}\n` };
}
