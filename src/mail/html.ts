import type { MailContent, MailLine } from "./content.js";

// The HTML part of a branded mail, written from the same content as its text part (content.ts):
// the brand's name on a bar in its accent colour, the paragraphs, links in the accent, the footer.
// Mail clients drop <style> blocks and external stylesheets, so every style is inline; nothing is
// loaded from elsewhere (no image, font or stylesheet by URL: a remote image tells its sender when
// and where a mail is opened). Every value is escaped, and a colour that is not "#rrggbb" is not
// used at all, so no brand file can add markup or CSS.

export interface MailLook {
  /** The locale of the text, for lang; dir follows it (Arabic: rtl). */
  lang: string;
  dir: "ltr" | "rtl";
  /** The subject, as the document's title. */
  title: string;
  /** What the header bar says: the brand's name, else the site's host. */
  name: string;
  /** The bar's colour and the text on it (Accent.light and Accent.lightText); null: a neutral grey. */
  accent: { background: string; text: string } | null;
}

const NEUTRAL = { background: "#374151", text: "#ffffff" };
const BODY_TEXT = "#1f2937";
const MUTED_TEXT = "#52525b";
const PAGE = "#f4f4f5";
const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Text or an attribute value made inert: & < > " ' as entities. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const isColour = (value: string): boolean => /^#[0-9a-fA-F]{6}$/.test(value);

/** WCAG relative luminance of a "#rrggbb" colour. */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** The contrast ratio of a colour against white (1 to 21). */
const contrastOnWhite = (hex: string): number => 1.05 / (luminance(hex) + 0.05);

/**
 * The bar's colours and the links' colour. A link is in the accent when the accent reads on the
 * white page (4.5:1), else in the accent's own text colour, which reads on the accent and so is dark.
 */
function palette(accent: MailLook["accent"]): { bar: { background: string; text: string }; link: string } {
  const bar = accent !== null && isColour(accent.background) && isColour(accent.text) ? accent : NEUTRAL;
  if (bar === NEUTRAL) return { bar, link: BODY_TEXT };
  const link = contrastOnWhite(bar.background) >= 4.5 ? bar.background : bar.text;
  return { bar, link: contrastOnWhite(link) >= 4.5 ? link : BODY_TEXT };
}

function line(value: MailLine, linkColour: string): string {
  if (typeof value === "string") return escapeHtml(value);
  const href = escapeHtml(value.link);
  // Only web links become anchors; anything else stays text.
  if (!/^https?:\/\//i.test(value.link)) return href;
  return `<a href="${href}" style="color:${linkColour};text-decoration:underline;word-break:break-all">${href}</a>`;
}

/** The HTML document for `content`, in `look`. Pure: the same input gives the same bytes. */
export function mailHtml(content: MailContent, look: MailLook): string {
  const { bar, link } = palette(look.accent);
  const dir = look.dir === "rtl" ? "rtl" : "ltr";
  const align = dir === "rtl" ? "right" : "left";
  const lang = escapeHtml(look.lang);
  const cell = `dir="${dir}" align="${align}"`;
  const paragraphs = content.paragraphs
    .map((p) => `<p style="margin:0 0 16px">${p.map((l) => line(l, link)).join("<br>")}</p>`)
    .join("\n");
  const footer =
    content.footer.length === 0
      ? ""
      : `<tr><td ${cell} style="padding:16px 24px;border-top:1px solid #e4e4e7;font-family:${FONT};font-size:13px;line-height:1.5;color:${MUTED_TEXT};text-align:${align}">${content.footer.map(escapeHtml).join("<br>")}</td></tr>\n`;
  return [
    "<!DOCTYPE html>",
    `<html lang="${lang}" dir="${dir}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light">',
    `<title>${escapeHtml(look.title)}</title>`,
    "</head>",
    `<body style="margin:0;padding:0;background-color:${PAGE}">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" lang="${lang}" dir="${dir}" style="background-color:${PAGE}">`,
    '<tr><td align="center" style="padding:24px 12px">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background-color:#ffffff;border-radius:6px">',
    `<tr><td ${cell} style="background-color:${bar.background};color:${bar.text};padding:16px 24px;border-radius:6px 6px 0 0;font-family:${FONT};font-size:20px;font-weight:600;line-height:1.3;text-align:${align}">${escapeHtml(look.name)}</td></tr>`,
    `<tr><td ${cell} style="padding:24px 24px 8px;font-family:${FONT};font-size:16px;line-height:1.5;color:${BODY_TEXT};text-align:${align}">`,
    paragraphs,
    "</td></tr>",
    `${footer}</table>`,
    "</td></tr>",
    "</table>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
