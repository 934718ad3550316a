// What a mail says, as blocks: paragraphs of lines (a line is text or a link) and a footer. The
// text part and, for a branded instance, the HTML part (html.ts) are both written from it, so the
// HTML part never says more than the text part.

/** One line of a paragraph: text, or a link shown as its own address. */
export type MailLine = string | { link: string };

export interface MailContent {
  paragraphs: readonly (readonly MailLine[])[];
  /** The lines after the signature separator ("-- "); empty: none. */
  footer: readonly string[];
}

const lineText = (line: MailLine): string => (typeof line === "string" ? line : line.link);

/** The plain-text part: paragraphs apart by a blank line, the footer after "-- ", a final newline. */
export function contentText(content: MailContent): string {
  const blocks = content.paragraphs.map((p) => p.map(lineText).join("\n"));
  if (content.footer.length > 0) blocks.push(["-- ", ...content.footer].join("\n"));
  return `${blocks.join("\n\n")}\n`;
}
