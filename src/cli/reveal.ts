// `onetime get LINK|KEY`: reveals a secret. With API v2 it first looks at the secret (consuming
// nothing) and asks for the passphrase when it has one; API v1 has no such look, so there a
// passphrase is given up front (--ask-passphrase, --passphrase-file), and a secret that needs one
// answers "unknown" without being consumed.

import { locate } from "./client/link.js";
import type { ClientContext } from "./client-context.js";
import { printJson } from "./client-context.js";

export async function get(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  const { server, key } = locate(command.arg ?? "", "secret", ctx.configured);
  const api = await ctx.connect(server);
  let passphrase = await ctx.givenPassphrase("Passphrase: ");
  if (passphrase === undefined) {
    const look = await api.look(key);
    if (look?.value.hasPassphrase === true) passphrase = await ctx.ask("Passphrase: ");
  }
  const revealed = await api.reveal(key, passphrase);
  if (command.json) return printJson(io, revealed.raw);
  // Exactly the secret, for pipes and files; a line end of our own only on a terminal.
  const end = io.out.isTTY === true && !revealed.value.endsWith("\n") ? "\n" : "";
  io.out.write(`${revealed.value}${end}`);
}
