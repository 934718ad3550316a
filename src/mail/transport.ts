import { createRequire } from "node:module";
import type * as Nodemailer from "nodemailer";
import type { MailConfig, SmtpConfig } from "../config.js";
import { AppError } from "../domain/errors.js";
import type { OutgoingMail } from "./compose.js";

export interface Mailer {
  /**
   * Hands one message to the SMTP server. When it is not accepted, throws AppError "mail_refused"
   * (a 5xx answer: no such mailbox, policy; trying again would not help) or "mail_failed" (anything
   * else: worth another try). `details.reason` names the failure for the logs and the receipt page
   * (smtp_550, ECONNREFUSED); it never holds the message or the address.
   */
  send(mail: OutgoingMail, { messageId }: { messageId: string }): Promise<void>;
  close(): void;
}

// nodemailer is loaded only when SMTP_HOST is set: a server without mail does not pay for it at start-up.
const load = createRequire(import.meta.url);

export function createMailer(smtp: SmtpConfig, from: Pick<MailConfig, "fromEmail" | "fromName">): Mailer {
  const { createTransport } = load("nodemailer") as typeof Nodemailer;
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls,
    auth: smtp.username === null ? undefined : { user: smtp.username, pass: smtp.password ?? "" },
    // A stuck server must not hold the outbox: give up on this try and retry later.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(mail, { messageId }) {
      try {
        await transport.sendMail({
          from: { name: from.fromName, address: from.fromEmail },
          to: mail.to,
          replyTo: mail.replyTo ?? undefined,
          subject: mail.subject,
          text: mail.text,
          // A branded mail's HTML part: nodemailer sends both as multipart/alternative.
          ...(mail.html === undefined ? {} : { html: mail.html }),
          // The same id on every try, so a receiving server can drop a duplicate delivery.
          messageId,
        });
      } catch (err) {
        // nodemailer wraps socket errors as ESOCKET and keeps the system's code (ECONNREFUSED…).
        const e = err as { responseCode?: number; code?: string; originalCode?: string };
        const permanent = typeof e.responseCode === "number" && e.responseCode >= 500;
        const reason =
          e.responseCode !== undefined ? `smtp_${e.responseCode}` : (e.originalCode ?? e.code ?? "error");
        throw permanent ? new AppError("mail_refused", { reason }) : new AppError("mail_failed", { reason });
      }
    },
    close: () => transport.close(),
  };
}
