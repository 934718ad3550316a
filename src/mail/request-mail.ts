import { type Brand, PLAIN_BRAND } from "../branding/brand.js";
import type { Messages } from "../i18n/i18n.js";
import { finishMail, type OutgoingMail, siteName } from "./message.js";

export interface RequestMailInput {
  to: string;
  /** When the answer came (Unix ms), and when the request was made. */
  at: number;
  createdAt: number;
  answersUsed: number;
  answersMax: number;
  /** The answer receipt's short id (domain/notify.ts): no key, nothing that opens anything. */
  shortId: string;
  dashboard: string;
  /** The host the links name. */
  site: string;
  /** The instance's brand (the link is the dashboard's); absent: unbranded. */
  brand?: Brand;
}

/**
 * The mail that tells a requester an answer came: when, which request (its creation time) and where
 * to read it. Never the note, the answer, a link with a key, or who answered.
 */
export function requestAnsweredMail(m: Messages, input: RequestMailInput): OutgoingMail {
  const { t } = m;
  const brand = input.brand ?? PLAIN_BRAND;
  const facts = {
    site: siteName(brand, input.site),
    date: m.dateTime(input.at),
    created: m.dateTime(input.createdAt),
    used: String(input.answersUsed),
    max: String(input.answersMax),
    id: input.shortId,
  };
  const paragraphs = [
    [t("mail.request.intro", facts)],
    [t("mail.request.which", facts), t("mail.request.count", facts)],
    [t("mail.request.open"), { link: input.dashboard }],
  ];
  return finishMail(
    m,
    brand,
    { to: input.to, replyTo: null, subject: t("mail.request.subject", facts), host: input.site },
    { paragraphs, footer: [t("mail.request.footer", facts)] },
  );
}
