import { parseArgs } from "node:util";

export const USAGE = `usage: onetime <command> [options]

  serve [--workers N|auto]   start the server (same as npm start); --workers sets WORKERS
  account create EMAIL       create an account; prints its API token on the last line
  account token EMAIL        replace the account's API token; the old one stops working at once
  account delete EMAIL       delete the account and its receipts
  purge                      delete expired rows now
  help, --help               show this help
  --version                  show the version

The account and purge commands work on the server's store, which they name on stderr. They refuse to
create a new one (a root key or a database) unless given --init: run them with the server's
configuration (DATA_DIR, SECRET, REDIS_URL, …), from the directory the server runs in.`;

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "serve"; workers: string | undefined }
  | { kind: "account"; action: "create" | "token" | "delete"; email: string; init: boolean }
  | { kind: "purge"; init: boolean }
  /** Bad arguments: `problem` is said before the usage, which goes to stderr (exit 2). */
  | { kind: "usage"; problem: string | null };

const ACCOUNT_ACTIONS = new Set(["create", "token", "delete"]);

/** Reads the command line; never throws. */
export function parseCommand(argv: string[]): Command {
  let parsed: ReturnType<typeof parseWith>;
  try {
    parsed = parseWith(argv);
  } catch (err) {
    return { kind: "usage", problem: optionProblem(err) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const [command, ...rest] = positionals;
  if (command === undefined) return { kind: "usage", problem: null };
  if (command === "help") return { kind: "help" };
  const init = values.init ?? false;
  if (values.workers !== undefined && command !== "serve") {
    return { kind: "usage", problem: "--workers goes with serve only" };
  }
  if (init && command !== "account" && command !== "purge") {
    return { kind: "usage", problem: "--init goes with the account and purge commands only" };
  }
  switch (command) {
    case "serve":
      return extra(rest) ?? { kind: "serve", workers: values.workers };
    case "purge":
      return extra(rest) ?? { kind: "purge", init };
    case "account": {
      const [action, email, ...more] = rest;
      if (action === undefined) return { kind: "usage", problem: "account needs create, token or delete" };
      if (!ACCOUNT_ACTIONS.has(action))
        return { kind: "usage", problem: `unknown account command: ${action}` };
      if (email === undefined) return { kind: "usage", problem: `account ${action} needs an EMAIL` };
      return extra(more) ?? { kind: "account", action: action as "create" | "token" | "delete", email, init };
    }
    default:
      return { kind: "usage", problem: `unknown command: ${command}` };
  }
}

function parseWith(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      version: { type: "boolean" },
      init: { type: "boolean" },
      workers: { type: "string" },
    },
  });
}

function extra(rest: string[]): Command | null {
  return rest.length === 0 ? null : { kind: "usage", problem: `unexpected argument: ${rest[0]}` };
}

/** parseArgs' own messages suggest `--` and quoting; ours name the option and stop. */
function optionProblem(err: unknown): string {
  const { code, message = "" } = err as { code?: string; message?: string };
  const option = /'(--?[A-Za-z][\w-]*)/.exec(message)?.[1];
  if (option === undefined) return message;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return `unknown option: ${option}`;
  if (message.includes("does not take an argument")) return `option ${option} takes no value`;
  return `option ${option} needs a value`;
}
