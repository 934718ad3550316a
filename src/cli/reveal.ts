// `onetime get LINK|KEY`: reveals a secret. With API v2 it first looks at the secret (consuming
// nothing) and asks for the passphrase when it has one; API v1 has no such look, so there a
// passphrase is given up front (--ask-passphrase, --passphrase-file), and a secret that needs one
// answers "unknown" without being consumed. A secret its sender encrypted (the look says
// `encryption: client`) is opened here with the k of the link's fragment: the server gets only
// the reveal proof, and a missing or wrong k, or a wrong passphrase, consumes nothing. A secret with
// views left after this one says so on stderr.

import { ClientError } from "./client/errors.js";
import { locate } from "./client/link.js";
import { keyOf, openBlob, opener, proofOf } from "./client/sealed.js";
import type { Answer, Api, Look } from "./client/types.js";
import { viewsLeftAfter } from "./client/v2.js";
import type { ClientContext } from "./client-context.js";
import { printJson } from "./client-context.js";

export async function get(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  const { server, key, fragment } = locate(command.arg ?? "", "secret", ctx.configured);
  const api = await ctx.connect(server);
  let passphrase = await ctx.givenPassphrase("Passphrase: ");
  const look = await api.look(key);
  const revealed =
    look?.value.encryption === "client"
      ? await openSealed(ctx, api, key, fragment, look.value, passphrase)
      : await (async () => {
          if (passphrase === undefined && look?.value.hasPassphrase === true) {
            passphrase = await ctx.ask("Passphrase: ");
          }
          return api.reveal(key, passphrase);
        })();
  if (command.json) return printJson(io, revealed.raw);
  // Exactly the secret, for pipes and files; a line end of our own only on a terminal.
  const end = io.out.isTTY === true && !revealed.value.endsWith("\n") ? "\n" : "";
  io.out.write(`${revealed.value}${end}`);
  // A link made for several readers still works for the next ones: said beside, never in stdout.
  const left = viewsLeftAfter(revealed.raw);
  if (left !== null && left > 0)
    io.err.write(`the link can be opened ${left} more time${left === 1 ? "" : "s"}\n`);
}

async function openSealed(
  ctx: ClientContext,
  api: Api,
  key: string,
  fragment: string | null,
  look: Look,
  given: string | undefined,
): Promise<Answer<string>> {
  // Checked before a passphrase is asked and before the server is asked for anything that counts.
  const k = keyOf(fragment);
  const passphrase = look.kdf === null ? undefined : (given ?? (await ctx.ask("Passphrase: ")));
  const open = opener(k, look.kdf, passphrase);
  let sealed: Answer<string>;
  try {
    sealed = await api.revealSealed(key, await proofOf(open));
  } catch (err) {
    if (!(err instanceof ClientError && err.passphrase)) throw err;
    const what = look.kdf === null ? "the key after the link's '#'" : "the link's key or the passphrase";
    throw new ClientError(err.exit, `${what} is wrong: nothing was consumed`, true);
  }
  return { value: await openBlob(sealed.value, open), raw: sealed.raw };
}
