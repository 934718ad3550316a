// `onetime share [TEXT]`: the text from argv or stdin (bytes, strict UTF-8), or --generate; the
// link alone on stdout, so `onetime share < file | mail …` works; the receipt link (and a
// generated password, shown this once) on stderr; --json: the server's whole answer.

import { usageError } from "./client/errors.js";
import type { ClientContext } from "./client-context.js";
import { printJson } from "./client-context.js";
import { decodeStrict, readAll } from "./input.js";

export async function share(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  if (command.arg === "") throw usageError("nothing to share: the text is empty");
  // Asked before stdin is read: on a terminal, the text typed ends with Ctrl-D, which ends stdin.
  const passphrase = await ctx.givenPassphrase("Passphrase: ");
  if (passphrase !== undefined && command.askPassphrase) {
    if ((await ctx.ask("Passphrase again: ")) !== passphrase) throw usageError("the passphrases differ");
  }
  const secret = command.generate ? undefined : (command.arg ?? (await readSecret(ctx)));
  if (secret === "") throw usageError("nothing to share: the text is empty");
  const api = await ctx.connect(ctx.configured);
  const made = await api.share({
    ...(secret === undefined ? {} : { secret }),
    ...(command.ttl === undefined ? {} : { ttl: command.ttl }),
    ...(passphrase === undefined ? {} : { passphrase }),
    recipients: command.recipients,
  });
  if (command.json) return printJson(io, made.raw);
  io.out.write(`${made.shareUrl}\n`);
  io.err.write(`receipt: ${made.receiptUrl}\n`);
  if (made.password !== null) io.err.write(`password (shown once): ${made.password}\n`);
}

async function readSecret({ io }: ClientContext): Promise<string> {
  if (io.in.isTTY === true) io.err.write("Type the secret, then Ctrl-D on a line of its own:\n");
  return decodeStrict(await readAll(io.in), "the input");
}
