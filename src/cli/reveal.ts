// `onetime get LINK|KEY`: reveals a secret. With API v2 it first looks at the secret (consuming
// nothing) and asks for the passphrase when it has one; API v1 has no such look, so there a
// passphrase is given up front (--ask-passphrase, --passphrase-file), and a secret that needs one
// answers "unknown" without being consumed. A secret its sender encrypted (the look says
// `encryption: client`) is opened here with the k of the link's fragment: the server gets only
// the reveal proof, and a missing or wrong k, or a wrong passphrase, consumes nothing. A secret with
// views left after this one says so on stderr.
// A secret with a file: the file goes to -o PATH (never replacing a file without --force), or
// without -o into the current directory under its own name; the text goes to stdout. Where it can
// be written is settled before the reveal (output.ts): a refused write consumes nothing.

import { ClientError } from "./client/errors.js";
import { locate } from "./client/link.js";
import { keyOf, openBlob, opener, proofOf } from "./client/sealed.js";
import type { Answer, Api, Look, SecretContent } from "./client/types.js";
import { viewsLeftAfter } from "./client/v2.js";
import type { ClientContext } from "./client-context.js";
import { printJson } from "./client-context.js";
import { claimDirectory, claimPath, type Sink } from "./output.js";

export async function get(ctx: ClientContext): Promise<void> {
  const { command, io } = ctx;
  const { server, key, fragment } = locate(command.arg ?? "", "secret", ctx.configured);
  const api = await ctx.connect(server);
  const given = await ctx.givenPassphrase("Passphrase: ");
  const look = (await api.look(key))?.value ?? null;
  // Everything asked of the person comes first: an interrupted prompt leaves no claimed file behind.
  const reveal = await revealer(ctx, api, { key, fragment, look, given });
  const sink =
    command.output !== undefined
      ? await claimPath(command.output, { force: command.force })
      : look?.hasFile === true
        ? await claimDirectory(process.cwd())
        : null;
  let revealed: Answer<SecretContent>;
  try {
    revealed = await reveal();
  } catch (err) {
    await sink?.discard();
    throw err;
  }
  const { text, file } = revealed.value;
  if (sink !== null || file !== null) {
    // A file the look did not announce (a server that does not say) still finds a place.
    const place: Sink = sink ?? (await claimDirectory(process.cwd()));
    const bytes = file?.bytes ?? new TextEncoder().encode(text);
    const path = await place.save(bytes, file?.name ?? "secret.txt");
    const what = file === null ? "the text" : `${file.name} (${file.type})`;
    io.err.write(`${what}: ${bytes.length} bytes written to ${path}\n`);
  }
  if (command.json) printJson(io, revealed.raw);
  // With -o and no file the text went to PATH; a file sent alone has no text: nothing for stdout.
  else if (!(file === null && sink !== null) && !(file !== null && text === "")) {
    // Exactly the secret, for pipes and files; a line end of our own only on a terminal.
    const end = io.out.isTTY === true && !text.endsWith("\n") ? "\n" : "";
    io.out.write(`${text}${end}`);
  }
  // A link made for several readers still works for the next ones: said beside, never in stdout.
  const left = viewsLeftAfter(revealed.raw);
  if (left !== null && left > 0)
    io.err.write(`the link can be opened ${left} more time${left === 1 ? "" : "s"}\n`);
}

/** Asks what the reveal needs (the link's k, the passphrase) and returns the reveal itself. */
async function revealer(
  ctx: ClientContext,
  api: Api,
  { key, fragment, look, given }: { key: string; fragment: string | null; look: Look | null; given?: string },
): Promise<() => Promise<Answer<SecretContent>>> {
  if (look?.encryption !== "client") {
    const passphrase =
      given === undefined && look?.hasPassphrase === true ? await ctx.ask("Passphrase: ") : given;
    return () => api.reveal(key, passphrase);
  }
  // Checked before a passphrase is asked and before the server is asked for anything that counts.
  const k = keyOf(fragment);
  const passphrase = look.kdf === null ? undefined : (given ?? (await ctx.ask("Passphrase: ")));
  const open = opener(k, look.kdf, passphrase);
  return async () => {
    let sealed: Answer<string>;
    try {
      sealed = await api.revealSealed(key, await proofOf(open));
    } catch (err) {
      if (!(err instanceof ClientError && err.passphrase)) throw err;
      const what = look.kdf === null ? "the key after the link's '#'" : "the link's key or the passphrase";
      throw new ClientError(err.exit, `${what} is wrong: nothing was consumed`, true);
    }
    return { value: await openBlob(sealed.value, open, look.hasFile), raw: sealed.raw };
  };
}
