// What a client command can fail with, as the exit status it ends with. The terminal client talks
// to any Onetime Secret server, so its failures are a remote server's answers (and the network
// between), sorted by their HTTP status: they are not this server's error catalogue
// (src/domain/errors.ts), which it may not even be talking to.

/** The exit statuses of the client commands, documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** No such secret or receipt, or already read, burned or expired. */
  notFound: 1,
  /** Bad arguments or input, or input the server refused as invalid. */
  usage: 2,
  /** The server cannot be reached, is unavailable, rate-limits us, or answered nonsense. */
  unavailable: 3,
  /** Credentials or a passphrase refused. */
  auth: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the command reports in one line (without "onetime: ") and ends with `exit`. */
export class ClientError extends Error {
  constructor(
    readonly exit: ExitCode,
    message: string,
    /** The server refused the passphrase (or wants one): asking again is safe, nothing was used. */
    readonly passphrase = false,
  ) {
    super(message);
    this.name = "ClientError";
  }

  asPassphrase(): ClientError {
    return new ClientError(EXIT.auth, this.message, true);
  }
}

export function usageError(message: string): ClientError {
  return new ClientError(EXIT.usage, message);
}

/** Text from a server, safe for a terminal line: control characters (escapes, line breaks) become "?". */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "?");
}

/** The exit status and line for an error answer's status, shared by both API versions. */
export function statusFailure(status: number, serverMessage: string, headers: Headers): ClientError {
  const message = printable(serverMessage);
  if (status === 401) return new ClientError(EXIT.auth, `${message} (check ONETIME_USER and ONETIME_TOKEN)`);
  if (status === 403) return new ClientError(EXIT.auth, message);
  if (status === 404) return new ClientError(EXIT.notFound, message);
  if (status === 429) {
    const after = printable(headers.get("retry-after") ?? "") || null;
    return new ClientError(
      EXIT.unavailable,
      `rate limited by the server${after === null ? "" : `: retry in ${after} s`} (${message})`,
    );
  }
  if (status >= 400 && status < 500) return new ClientError(EXIT.usage, `the server refused: ${message}`);
  return new ClientError(EXIT.unavailable, `the server failed (${status}): ${message}`);
}

export function unexpected(server: string): ClientError {
  return new ClientError(EXIT.unavailable, `${server} gave an answer this client does not understand`);
}

/** What a request was about, for the words of its failure. */
export type Subject = "status" | "share" | "secret" | "receipt" | "burn" | "recent";

/** "Not found", in the words of what was asked for. */
export function notFound(subject: Subject): ClientError {
  const words: Partial<Record<Subject, string>> = {
    secret: "no such secret: unknown, already read, burned or expired",
    receipt: "no such receipt: unknown or expired",
    burn: "nothing to burn: the secret was already read, burned or expired, or the receipt is unknown",
  };
  return new ClientError(EXIT.notFound, words[subject] ?? "not found");
}
