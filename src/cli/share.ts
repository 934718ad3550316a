// `onetime share [TEXT]`: the text from argv or stdin (bytes, strict UTF-8), or --generate; the
// link alone on stdout, so `onetime share < file | mail …` works; the receipt link (and a
// generated password, shown this once) on stderr; --json: the server's whole answer.
// A server that advertises client_encryption (API v2) gets the text sealed here (client/sealed.ts):
// the link then ends in `#k`, which only this terminal ever had; --server-side opts out.
// --file PATH adds a file (its bytes as they are, any type), with TEXT or alone (stdin is not read
// then); only to a server whose API v2 status advertises file_max_bytes, and no larger than that.
// --domain HOST names the link's host (API v2 share_domain): the server refuses one it does not list.

import { readFile } from "node:fs/promises";
import { basename } from "node:path";
// The server's default PASSWORD_GEN_* rules: a server does not publish its own.
import { DEFAULT_PASSWORD_RULES, generatePassword } from "../domain/password.js";
import { usageError } from "./client/errors.js";
import { CLIENT_ENCRYPTION, sealContent } from "./client/sealed.js";
import type { Api, FileData, ServerStatus, ShareInput } from "./client/types.js";
import type { ClientContext } from "./client-context.js";
import { printJson } from "./client-context.js";
import { decodeStrict, readAll } from "./input.js";

export async function share(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  if (command.arg === "" && command.file === undefined)
    throw usageError("nothing to share: the text is empty");
  const file = command.file === undefined ? null : await readFileArg(command.file);
  // Asked before stdin is read: on a terminal, the text typed ends with Ctrl-D, which ends stdin.
  const passphrase = await ctx.givenPassphrase("Passphrase: ");
  if (passphrase !== undefined && command.askPassphrase) {
    if ((await ctx.ask("Passphrase again: ")) !== passphrase) throw usageError("the passphrases differ");
  }
  const given = command.generate ? undefined : (command.arg ?? (file === null ? await readSecret(ctx) : ""));
  if (given === "" && file === null) throw usageError("nothing to share: the text is empty");
  const api = await ctx.connect(ctx.configured);
  const status = api.version === "v2" ? (await api.status()).value : null;
  if (file !== null) checkFile(api, status, file, command.file ?? "");
  const common = {
    ...(command.ttl === undefined ? {} : { ttl: command.ttl }),
    ...(command.views === undefined ? {} : { views: command.views }),
    ...(command.notify ? { notify: true } : {}),
    ...(command.domain === undefined ? {} : { shareDomain: command.domain }),
    recipients: command.recipients,
  };
  let fragment = "";
  let generated: string | null = null;
  let input: ShareInput;
  if (!command.serverSide && status?.clientEncryption === CLIENT_ENCRYPTION) {
    // Generated here too: a password the server made would be a password the server saw.
    if (given === undefined) generated = generatePassword(DEFAULT_PASSWORD_RULES);
    const sealed = await sealContent({ text: given ?? generated ?? "", file }, passphrase);
    fragment = `#${sealed.fragment}`;
    input = { ...common, sealed: sealed.sealed };
  } else {
    input = {
      ...common,
      ...(given === undefined || (given === "" && file !== null) ? {} : { secret: given }),
      ...(file === null ? {} : { file }),
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

/** The file as it is on disk: its bytes, its name (cleaned again when it is sealed), no type guessed. */
async function readFileArg(path: string): Promise<FileData> {
  try {
    return { name: basename(path), type: "application/octet-stream", bytes: await readFile(path) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw usageError(`cannot read ${path}${typeof code === "string" ? ` (${code})` : ""}`);
  }
}

/**
 * Refused here, before anything is sent: a server that does not say it takes files (API v1, another
 * v2 server, which would store the text and drop the file) or a file over its advertised cap.
 */
function checkFile(api: Api, status: ServerStatus | null, file: FileData, path: string): void {
  if (api.version === "v1") throw usageError("files need API v2: this server is reached through API v1");
  const max = status?.fileMaxBytes ?? null;
  if (max === null)
    throw usageError(`${api.server} does not say it takes files (no file_max_bytes in its status)`);
  if (file.bytes.length > max) {
    throw usageError(`${path} is ${file.bytes.length} bytes: ${api.server} takes files up to ${max} bytes`);
  }
}

async function readSecret({ io }: ClientContext): Promise<string> {
  if (io.in.isTTY === true) io.err.write("Type the secret, then Ctrl-D on a line of its own:\n");
  return decodeStrict(await readAll(io.in), "the input");
}
