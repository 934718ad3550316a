// Runs one client command: failures end as one line on stderr and the exit status of their kind
// (client/errors.ts); never a stack trace.

import { ClientError, EXIT } from "./client/errors.js";
import type { ClientCommand, ClientName } from "./client-args.js";
import { type ClientContext, type ClientIo, clientContext } from "./client-context.js";
import { burn, receipt, recent, status } from "./receipts.js";
import { answer, answers, request } from "./requests.js";
import { get } from "./reveal.js";
import { share } from "./share.js";

const COMMANDS: Record<ClientName, (ctx: ClientContext) => Promise<void>> = {
  share,
  get,
  receipt,
  burn,
  recent,
  status,
  request,
  answer,
  answers,
};

export async function runClient(command: ClientCommand, io: ClientIo): Promise<number> {
  try {
    await COMMANDS[command.name](clientContext(command, io));
    return EXIT.ok;
  } catch (err) {
    if (err instanceof ClientError) {
      io.err.write(`onetime: ${err.message}\n`);
      return err.exit;
    }
    io.err.write(`onetime: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.unavailable;
  }
}
