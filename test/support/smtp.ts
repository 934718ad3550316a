// A real SMTP server in process (the smtp-server package) that keeps what it receives, decoded
// enough for tests to read: headers (RFC 2047 words decoded) and the text body (quoted-printable
// or base64 undone).
import { EventEmitter, once } from "node:events";
import { SMTPServer } from "smtp-server";
import { waitFor } from "./wait.js";

export interface ReceivedMail {
  from: string;
  to: string[];
  headers: Record<string, string>;
  text: string;
  raw: string;
}

export interface TestSmtp {
  port: number;
  received: ReceivedMail[];
  /** Resolves when `count` mails have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  /** Resolves with the first mail received (or to come) that `match` accepts, taken out of `received`. */
  take(match: (mail: ReceivedMail) => boolean, what: string): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtp(
  port: number,
  { rejectRecipients = false }: { rejectRecipients?: boolean } = {},
): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const arrivals = new EventEmitter();
  const onArrival = { emitter: arrivals, event: "mail" };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!rejectRecipients) return callback();
      const err = new Error("mailbox unavailable") as Error & { responseCode: number };
      err.responseCode = 550;
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        received.push({
          from: session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parse(raw),
          raw,
        });
        arrivals.emit("mail");
        callback();
      });
    },
  });
  server.listen(port, "127.0.0.1");
  await once(server.server, "listening");
  return {
    port,
    received,
    async waitFor(count, timeoutMs = 10_000) {
      const what = () => `${count} mails (${received.length} arrived)`;
      await waitFor(() => received.length >= count, { what, timeoutMs, on: onArrival });
      return received;
    },
    async take(match, what) {
      const found = await waitFor(() => received.find(match), { what, on: onArrival });
      received.splice(received.indexOf(found), 1);
      return found;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** One part of a multipart message: its content type and decoded body. */
export interface MailPart {
  type: string;
  headers: Record<string, string>;
  text: string;
}

/**
 * The parts of a mail: each part of a multipart body (one level: multipart/alternative), else the
 * message itself as its only part.
 */
export function mailParts(mail: ReceivedMail): MailPart[] {
  const typeOf = (headers: Record<string, string>) =>
    (headers["content-type"] ?? "text/plain").split(";")[0]?.trim() ?? "";
  const boundary = /boundary="?([^";]+)"?/.exec(mail.headers["content-type"] ?? "")?.[1];
  if (boundary === undefined) return [{ type: typeOf(mail.headers), headers: mail.headers, text: mail.text }];
  const body = mail.raw.slice(mail.raw.indexOf("\r\n\r\n") + 4);
  return (
    body
      .split(`--${boundary}`)
      .slice(1, -1)
      // The CRLF before each boundary belongs to the boundary (RFC 2046).
      .map((chunk) => parse(chunk.replace(/^\r\n/, "").replace(/\r\n$/, "")))
      .map((part) => ({ type: typeOf(part.headers), ...part }))
  );
}

function parse(raw: string): { headers: Record<string, string>; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const body = raw.slice(split + 4);
  const encoding = (headers["content-transfer-encoding"] ?? "").toLowerCase();
  const text =
    encoding === "quoted-printable"
      ? decodeQp(body)
      : encoding === "base64"
        ? Buffer.from(body.replace(/\s/g, ""), "base64").toString("utf8")
        : body;
  return { headers, text: text.replace(/\r\n/g, "\n") };
}

function decodeQp(body: string): string {
  const bytes = body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => `%${h}`);
  return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/g, "%25"));
}

function decodeWords(value: string): string {
  return value.replace(/=\?utf-8\?([QB])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toUpperCase() === "B"
      ? Buffer.from(data, "base64").toString("utf8")
      : decodeQp(data.replace(/_/g, " ").replace(/=([0-9A-F]{2})/g, "=$1")),
  );
}
