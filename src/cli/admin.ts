// The admin commands that work on the server's own store: `account …`, `purge` and `audit export`.
// Loaded only for them (main.ts imports this file on demand): the client commands never load the store.

import { SYSTEM } from "../actions/audit.js";
import { exportAudit } from "../actions/audit-export.js";
import { createAccount } from "../actions/create-account.js";
import { deleteAccount } from "../actions/delete-account.js";
import type { Deps } from "../actions/deps.js";
import { issueToken } from "../actions/issue-token.js";
import { type Config, ConfigError, loadConfig } from "../config.js";
import { createRuntime, type Runtime } from "../server/runtime.js";
import { describeKey, planStore } from "../server/store-plan.js";
import type { Command } from "./args.js";
import { failureLine } from "./errors.js";

type StoreCommand = Extract<Command, { kind: "account" | "purge" | "audit" }>;

export async function runOnStore(
  command: StoreCommand,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const p of e.problems) err.write(`onetime: configuration: ${p}\n`);
    return 1;
  }
  const plan = planStore(config);
  err.write(`onetime: store: ${plan.store}\n`);
  if (plan.missing.length > 0) {
    const missing = plan.missing.join(" and ");
    if (command.init) {
      err.write(`onetime: --init: creating ${missing}\n`);
    } else {
      err.write(
        `onetime: no store here: ${missing} ${plan.missing.length > 1 ? "do" : "does"} not exist\n` +
          "onetime: run with the server's configuration (DATA_DIR, SECRET…) or from its directory;" +
          " --init creates a new store here\n",
      );
      return 1;
    }
  }
  let runtime: Runtime;
  try {
    // Logs go to stderr so that stdout holds only the command's answer.
    runtime = await createRuntime({ config, logStream: process.stderr, createRootKey: command.init });
  } catch (e) {
    // BRAND_FILE is read with the runtime: its problems are the configuration's.
    if (e instanceof ConfigError) for (const p of e.problems) err.write(`onetime: configuration: ${p}\n`);
    else err.write(`onetime: cannot open the store: ${(e as Error).message}\n`);
    return 1;
  }
  err.write(`onetime: root key: ${describeKey(runtime.root)}\n`);
  try {
    if (command.kind === "audit") {
      for await (const line of exportAudit(runtime.deps, null, SYSTEM)) out.write(line);
    } else {
      out.write(await perform(command, runtime.deps));
    }
    return 0;
  } catch (e) {
    const task = command.kind === "purge" ? "purge" : `${command.kind} ${command.action}`;
    err.write(`onetime: ${failureLine(task, e)}\n`);
    return 1;
  } finally {
    await runtime.close();
  }
}

async function perform(command: Exclude<StoreCommand, { kind: "audit" }>, deps: Deps): Promise<string> {
  if (command.kind === "purge") return `purged ${await deps.store.purgeExpired(deps.now())} expired rows\n`;
  const { action, email } = command;
  if (action === "create") {
    const token = await createAccount(deps, email);
    return `account created for ${email.trim().toLowerCase()}\nAPI token (shown once):\n${token}\n`;
  }
  if (action === "token") {
    const token = await issueToken(deps, email);
    return `new API token for ${email} (the old one no longer works):\n${token}\n`;
  }
  await deleteAccount(deps, email);
  return `account ${email} deleted\n`;
}
