import { AccountError, createAccount, deleteAccount, issueToken } from "../actions/accounts.js";
import { ConfigError } from "../config.js";
import { createRuntime } from "../runtime.js";

const USAGE = `usage: onetime <command>

  serve [--workers N|auto]   start the server (same as npm start); --workers sets WORKERS
  account create EMAIL       create an account; prints its API token on the last line
  account token EMAIL        replace the account's API token; the old one stops working at once
  account delete EMAIL       delete the account and its receipts
  purge                      delete expired rows now

Configuration comes from the same environment variables as the server (DATA_DIR, SECRET, …).`;

/** Runs one CLI command; returns the process exit code. Output goes to `out`, diagnostics to `err`. */
export async function runCli(
  argv: string[],
  {
    out = process.stdout,
    err = process.stderr,
  }: { out?: NodeJS.WritableStream; err?: NodeJS.WritableStream } = {},
): Promise<number> {
  const [command, sub, email] = argv;
  if (command === "serve") {
    const workers = workersFlag(argv.slice(1));
    if (workers === null) {
      err.write(`${USAGE}\n`);
      return 2;
    }
    // Read by loadConfig like any other option; forked workers inherit it (and get the same argv).
    if (workers !== undefined) process.env.WORKERS = workers;
    await import("../main.js");
    return -1; // keeps running
  }
  const accountCommands: Record<string, true> = { create: true, token: true, delete: true };
  const known = command === "purge" || (command === "account" && sub !== undefined && accountCommands[sub]);
  if (!known || (command === "account" && email === undefined)) {
    const asked = command === undefined || command === "help" || command === "--help";
    (asked ? out : err).write(`${USAGE}\n`);
    return asked ? 0 : 2;
  }

  let runtime: Awaited<ReturnType<typeof createRuntime>>;
  try {
    // Logs go to stderr so that stdout holds only the command's answer.
    runtime = await createRuntime({ logStream: process.stderr });
  } catch (e) {
    if (e instanceof ConfigError) for (const p of e.problems) err.write(`onetime: configuration: ${p}\n`);
    else err.write(`onetime: ${(e as Error).message}\n`);
    return 1;
  }
  const { deps } = runtime;
  try {
    if (command === "purge") {
      const purged = await deps.store.purgeExpired(deps.now());
      out.write(`purged ${purged} expired rows\n`);
    } else if (sub === "create") {
      const token = await createAccount(deps, email as string);
      out.write(
        `account created for ${(email as string).trim().toLowerCase()}\nAPI token (shown once):\n${token}\n`,
      );
    } else if (sub === "token") {
      const token = await issueToken(deps, email as string);
      out.write(`new API token for ${email} (the old one no longer works):\n${token}\n`);
    } else {
      await deleteAccount(deps, email as string);
      out.write(`account ${email} deleted\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof AccountError) {
      err.write(`onetime: ${e.message}\n`);
      return 1;
    }
    err.write(`onetime: ${(e as Error).name}: the command failed\n`);
    return 1;
  } finally {
    await runtime.close();
  }
}

/** `serve`'s arguments: nothing, `--workers N` or `--workers=N`; null for anything else. */
function workersFlag(args: string[]): string | undefined | null {
  if (args.length === 0) return undefined;
  const [first = "", second] = args;
  if (args.length === 1 && first.startsWith("--workers=")) return first.slice("--workers=".length);
  if (args.length === 2 && first === "--workers" && second !== undefined) return second;
  return null;
}
