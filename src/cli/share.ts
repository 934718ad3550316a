// `onetime share [TEXT]`: the text from argv or stdin (bytes, strict UTF-8), or --generate; the
// link alone on stdout, so `onetime share < file | mail …` works; the receipt link (and a
// generated password, shown this once) on stderr; --json: the server's whole answer.
// A server that advertises client_encryption (API v2) gets the text sealed here (client/sealed.ts):
// the link then ends in `#k`, which only this terminal ever had; --server-side opts out.

// The server's default PASSWORD_GEN_* rules: a server does not publish its own.
import { DEFAULT_PASSWORD_RULES, generatePassword } from "../domain/password.js";
import { usageError } from "./client/errors.js";
import { CLIENT_ENCRYPTION, sealText } from "./client/sealed.js";
import type { Api, ShareInput } from "./client/types.js";
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
  const given = command.generate ? undefined : (command.arg ?? (await readSecret(ctx)));
  if (given === "") throw usageError("nothing to share: the text is empty");
  const api = await ctx.connect(ctx.configured);
  const common = {
    ...(command.ttl === undefined ? {} : { ttl: command.ttl }),
    ...(command.views === undefined ? {} : { views: command.views }),
    recipients: command.recipients,
  };
  let fragment = "";
  let generated: string | null = null;
  let input: ShareInput;
  if (!command.serverSide && (await encryptsHere(api))) {
    // Generated here too: a password the server made would be a password the server saw.
    if (given === undefined) generated = generatePassword(DEFAULT_PASSWORD_RULES);
    const sealed = await sealText(given ?? generated ?? "", passphrase);
    fragment = `#${sealed.fragment}`;
    input = { ...common, sealed: sealed.sealed };
  } else {
    input = {
      ...common,
      ...(given === undefined ? {} : { secret: given }),
      ...(passphrase === undefined ? {} : { passphrase }),
    };
  }
  const made = await api.share(input);
  const link = `${made.shareUrl}${fragment}`;
  // The server's answer has no k: --json adds the whole link, the one way to open the secret.
  if (command.json) return printJson(io, fragment === "" ? made.raw : { ...(made.raw as object), link });
  io.out.write(`${link}\n`);
  io.err.write(`receipt: ${made.receiptUrl}\n`);
  const password = generated ?? made.password;
  if (password !== null) io.err.write(`password (shown once): ${password}\n`);
}

/** Whether the server takes secrets sealed in this client's format (API v2's client_encryption). */
async function encryptsHere(api: Api): Promise<boolean> {
  if (api.version !== "v2") return false;
  return (await api.status()).value.clientEncryption === CLIENT_ENCRYPTION;
}

async function readSecret({ io }: ClientContext): Promise<string> {
  if (io.in.isTTY === true) io.err.write("Type the secret, then Ctrl-D on a line of its own:\n");
  return decodeStrict(await readAll(io.in), "the input");
}
