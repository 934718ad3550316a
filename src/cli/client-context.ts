// What every client command gets: its streams, the configured server and credentials, and how to
// reach a server. Credentials go to the configured server only: a link naming another server is
// followed anonymously, so a link someone sends cannot collect your API token.

import { connect } from "./client/connect.js";
import { usageError } from "./client/errors.js";
import { serverBase } from "./client/link.js";
import type { Api, Credentials } from "./client/types.js";
import type { ClientCommand } from "./client-args.js";
import { readPassphraseFile } from "./input.js";
import { askHidden } from "./prompt.js";

export const DEFAULT_SERVER = "http://localhost:3000";

export interface ClientIo {
  in: NodeJS.ReadableStream & { isTTY?: boolean };
  out: NodeJS.WritableStream & { isTTY?: boolean };
  err: NodeJS.WritableStream;
  env: Record<string, string | undefined>;
}

export interface ClientContext {
  io: ClientIo;
  command: ClientCommand;
  /** --server, else ONETIME_URL, else http://localhost:3000. */
  configured: string;
  connect(server: string): Promise<Api>;
  /** The passphrase from --passphrase-file or --ask-passphrase; undefined when neither was given. */
  givenPassphrase(question: string): Promise<string | undefined>;
  ask(question: string): Promise<string>;
}

export function clientContext(command: ClientCommand, io: ClientIo): ClientContext {
  const configured = serverBase(command.server ?? nonEmpty(io.env.ONETIME_URL) ?? DEFAULT_SERVER);
  const credentials: Credentials = {
    user: nonEmpty(io.env.ONETIME_USER),
    token: nonEmpty(io.env.ONETIME_TOKEN),
  };
  if (credentials.user !== undefined && credentials.token === undefined) {
    throw usageError("ONETIME_USER is set but ONETIME_TOKEN is not: both, or neither");
  }
  const ask = (question: string) => askHidden(question, { input: io.in, output: io.err });
  return {
    io,
    command,
    configured,
    connect: (server) => connect(server, server === configured ? credentials : {}, command.api),
    async givenPassphrase(question) {
      if (command.passphraseFile !== undefined) return readPassphraseFile(command.passphraseFile);
      if (!command.askPassphrase) return undefined;
      const typed = await ask(question);
      if (typed === "") throw usageError("no passphrase typed");
      return typed;
    },
    ask,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}

/** --json: the server's own answer, indented. */
export function printJson(io: ClientIo, raw: unknown): void {
  io.out.write(`${JSON.stringify(raw, null, 2)}\n`);
}
