// The creator's side: `onetime receipt`, `onetime burn`, `onetime recent`, and `onetime status`.

import { ClientError } from "./client/errors.js";
import { locate } from "./client/link.js";
import type { ClientContext } from "./client-context.js";
import { printJson } from "./client-context.js";
import { describeReceipt, receiptLine } from "./format.js";
import { recentRequests } from "./requests.js";

export async function receipt(ctx: ClientContext): Promise<void> {
  const { server, key } = locate(ctx.command.arg ?? "", "receipt", ctx.configured);
  const answer = await (await ctx.connect(server)).receipt(key);
  if (ctx.command.json) return printJson(ctx.io, answer.raw);
  ctx.io.out.write(describeReceipt(answer.value));
}

/** Burns; a passphrase the server asks for is asked then (nothing is burned by a refusal). */
export async function burn(ctx: ClientContext): Promise<void> {
  const { server, key } = locate(ctx.command.arg ?? "", "receipt", ctx.configured);
  const api = await ctx.connect(server);
  const given = await ctx.givenPassphrase("Passphrase: ");
  let answer: Awaited<ReturnType<typeof api.burn>>;
  try {
    answer = await api.burn(key, given);
  } catch (err) {
    if (!(err instanceof ClientError && err.passphrase && given === undefined)) throw err;
    answer = await api.burn(key, await ctx.ask("The secret has a passphrase: "));
  }
  if (ctx.command.json) return printJson(ctx.io, answer.raw);
  ctx.io.out.write(describeReceipt(answer.value));
}

export async function recent(ctx: ClientContext): Promise<void> {
  const api = await ctx.connect(ctx.configured);
  const answer = await api.recent();
  if (ctx.command.json) return printJson(ctx.io, answer.raw);
  if (answer.value.length === 0) ctx.io.err.write("no secrets in the last 30 days\n");
  for (const r of answer.value) ctx.io.out.write(receiptLine(r));
  // Secret requests and their answers (docs/requests.md): API v2 of this server only.
  if (api.version === "v2") for (const line of await recentRequests(ctx)) ctx.io.out.write(line);
}

export async function status(ctx: ClientContext): Promise<void> {
  const api = await ctx.connect(ctx.configured);
  const answer = await api.status();
  if (ctx.command.json) return printJson(ctx.io, answer.raw);
  ctx.io.out.write(`${api.server}: ${answer.value.status} (API ${api.version})\n`);
}
