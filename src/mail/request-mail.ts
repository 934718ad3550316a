import type { Messages } from "../i18n/i18n.js";
import type { OutgoingMail } from "./compose.js";

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
  site: string;
}

/**
 * The mail that tells a requester an answer came: when, which request (its creation time) and where
 * to read it. Never the note, the answer, a link with a key, or who answered.
 */
export function requestAnsweredMail(m: Messages, input: RequestMailInput): OutgoingMail {
  const { t } = m;
  const facts = {
    site: input.site,
    date: m.dateTime(input.at),
    created: m.dateTime(input.createdAt),
    used: String(input.answersUsed),
    max: String(input.answersMax),
    id: input.shortId,
  };
  const lines = [
    t("mail.request.intro", facts),
    "",
    t("mail.request.which", facts),
    t("mail.request.count", facts),
    "",
    t("mail.request.open"),
    input.dashboard,
    "",
    "-- ",
    t("mail.request.footer", facts),
  ];
  return {
    to: input.to,
    replyTo: null,
    subject: t("mail.request.subject", facts),
    text: `${lines.join("\n")}\n`,
  };
}
