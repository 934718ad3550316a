import { type Brand, PLAIN_BRAND } from "../branding/brand.js";
import type { NotifyEvent } from "../domain/notify.js";
import type { Messages } from "../i18n/i18n.js";
import { finishMail, type OutgoingMail, siteName } from "./message.js";

export interface NoticeMailInput {
  to: string;
  event: NotifyEvent;
  /** When it happened (Unix ms): the read, the burn, or the secret's expiry. */
  at: number;
  createdAt: number;
  /** Views read so far, and the limit chosen at creation. */
  viewsUsed: number;
  views: number;
  /** The receipt's short id (domain/notify.ts): no key, nothing that opens anything. */
  shortId: string;
  /** The dashboard, where the signed-in creator opens the receipt. */
  dashboard: string;
  /** The host the links name. */
  site: string;
  /** The instance's brand (the link is the dashboard's); absent: unbranded. */
  brand?: Brand;
}

/**
 * The mail that tells a creator what became of their secret: what happened and when, which secret
 * (its creation time and short id) and where to see its receipt. Never the secret, its link or a
 * key: the server keeps no metadata key to link to the receipt itself, so the link is the dashboard.
 */
export function noticeMail(m: Messages, input: NoticeMailInput): OutgoingMail {
  const { t } = m;
  const brand = input.brand ?? PLAIN_BRAND;
  const facts = {
    site: siteName(brand, input.site),
    date: m.dateTime(input.at),
    created: m.dateTime(input.createdAt),
    used: String(input.viewsUsed),
    views: String(input.views),
    id: input.shortId,
  };
  const paragraphs = [
    [t(`mail.notice.${input.event}.intro`, facts)],
    [t("mail.notice.which", facts), ...(input.views > 1 ? [t("mail.notice.views", facts)] : [])],
    [t("mail.notice.receipt"), { link: input.dashboard }],
  ];
  return finishMail(
    m,
    brand,
    {
      to: input.to,
      replyTo: null,
      subject: t(`mail.notice.${input.event}.subject`, facts),
      host: input.site,
    },
    { paragraphs, footer: [t("mail.notice.footer", facts)] },
  );
}
