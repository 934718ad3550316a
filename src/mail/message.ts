import { type Brand, type Branding, DEFAULT_BRANDING, localized } from "../branding/brand.js";
import { direction } from "../i18n/direction.js";
import type { Messages } from "../i18n/i18n.js";
import { contentText, type MailContent } from "./content.js";
import { mailHtml } from "./html.js";

// A mail is written as content (content.ts) by its composer (compose.ts, notice.ts, request-mail.ts)
// and finished here: the text part always, the HTML part for a branded instance (docs/branding.md).

/** A message ready for SMTP; it is sealed as a whole while it waits in the outbox. */
export interface OutgoingMail {
  to: string;
  replyTo: string | null;
  subject: string;
  text: string;
  /**
   * A branded instance's HTML part (html.ts), the same content as `text`: the message goes as
   * multipart/alternative. Absent: text alone, as before, and as for mail queued before it existed.
   */
  html?: string;
}

/**
 * The brand a mail wears: a mail whose link is on a share domain takes that domain's brand (the
 * recipient sees that name and host), every other mail the instance's. Deps.branding may be absent.
 */
export function mailBrand(branding: Branding = DEFAULT_BRANDING, shareDomain = ""): Brand {
  return shareDomain === "" ? branding.base : branding.forHost(shareDomain);
}

/** Mail of a brand with a name or an accent carries an HTML part; any other is text alone. */
export function isBranded(brand: Brand): boolean {
  return brand.name !== null || brand.accent !== null;
}

/** What a mail calls the site: the brand's name, else the host its links name. */
export function siteName(brand: Brand, host: string): string {
  return brand.name ?? host;
}

/**
 * The message from its content: the text part, the brand's footer line (if it has one) after the
 * mail's own, and for a branded brand the HTML part, in the locale's language and direction.
 */
export function finishMail(
  m: Messages,
  brand: Brand,
  head: { to: string; replyTo: string | null; subject: string; host: string },
  content: MailContent,
): OutgoingMail {
  const brandFooter = localized(brand.footer, m.locale);
  const full = brandFooter === null ? content : { ...content, footer: [...content.footer, brandFooter] };
  const mail: OutgoingMail = {
    to: head.to,
    replyTo: head.replyTo,
    subject: head.subject,
    text: contentText(full),
  };
  if (!isBranded(brand)) return mail;
  const accent =
    brand.accent === null ? null : { background: brand.accent.light, text: brand.accent.lightText };
  mail.html = mailHtml(full, {
    lang: m.locale,
    dir: direction(m.locale),
    title: head.subject,
    name: siteName(brand, head.host),
    accent,
  });
  return mail;
}
