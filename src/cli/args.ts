import { parseArgs } from "node:util";
import { CLIENT_COMMANDS, type ClientCommand, type ClientName, parseClientCommand } from "./client-args.js";
import { optionProblem } from "./option-problem.js";

export const USAGE = `usage: onetime <command> [options]

Client commands: use any Onetime Secret server over HTTP (docs/cli.md)
  share [TEXT]               share TEXT, or stdin; prints the link (the receipt link on stderr);
                             encrypted here, the key in the link's #, when the server takes that
    --ttl 90|30m|1h|7d         how long the secret lives
    --views N                  how many times the link opens (default 1; API v2)
    --notify                   mail me when it is read, burned or expires unread (an account; API v2)
    --generate                 make a password (shown once, on stderr)
    --server-side              let the server encrypt it (no # in the link)
    --recipient EMAIL          mail the link (needs an account); repeatable
    --ask-passphrase           protect it with a passphrase, typed with echo off
    --passphrase-file PATH     protect it with the passphrase in PATH
    --file PATH                add the file at PATH (any bytes), with TEXT or alone
    --domain HOST              the link's host: one the server lists (onetime status --json); API v2
  get LINK|KEY               reveal a secret (decrypted here with the link's #key when it has one);
                             asks its passphrase when the server says it has one
                             (--ask-passphrase, --passphrase-file give it up front); a file goes
                             into this directory under its own name (never over another file)
    -o PATH                    write the file (or, without one, the text) to PATH instead
    --force                    let -o replace an existing file
  receipt LINK|KEY           show a receipt: state, time left, views and when each was read,
                             the link while it is live
  burn LINK|KEY              destroy the secret before it is read
  recent                     your account's secrets of the last 30 days
  status                     the server's status and the API version used
  request NOTE               ask for a secret (an account; API v2): prints the request link to send
                             and the requester link to keep (its # is your private key)
    --ttl 90|30m|1h|7d         how long the request link takes answers
    --answers N                how many answers it takes (default 1)
  answer LINK [TEXT]         answer a request link with TEXT, or stdin, sealed here to its key
  answers LINK               read the answers of your requester link (decrypted here; each is
                             read once, like any secret)
  Client options: --server URL (else ONETIME_URL, else http://localhost:3000), --api v1|v2, --json.
  Credentials: ONETIME_USER (email) and ONETIME_TOKEN (API token), from the environment only.
  Exit status: 0 done, 1 not found or already read, 2 usage, 3 network or server unavailable,
  4 credentials or passphrase refused.

Admin commands: run on the server's machine, on its store
  serve [--workers N|auto]   start the server (same as npm start); --workers sets WORKERS
  account create EMAIL       create an account; prints its API token on the last line
  account token EMAIL        replace the account's API token; the old one stops working at once
  account delete EMAIL       delete the account and its receipts
  purge                      delete expired rows now
  audit export               print the audit log as JSON lines, oldest first (docs/admin.md)
  The account, purge and audit commands name the store they use on stderr. They refuse to create a new
  one (a root key or a database) unless given --init: run them with the server's configuration
  (DATA_DIR, SECRET, REDIS_URL, …), from the directory the server runs in.

  help, --help               show this help
  --version                  show the version`;

export type Command =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "serve"; workers: string | undefined }
  | { kind: "account"; action: "create" | "token" | "delete"; email: string; init: boolean }
  | { kind: "purge"; init: boolean }
  | { kind: "audit"; action: "export"; init: false }
  | ClientCommand
  /** Bad arguments: `problem` is said before the usage, which goes to stderr (exit 2). */
  | { kind: "usage"; problem: string | null };

const ACCOUNT_ACTIONS = new Set(["create", "token", "delete"]);

/** Reads the command line; never throws. */
export function parseCommand(argv: string[]): Command {
  const first = argv[0];
  if (isClientName(first)) return parseClientCommand(first, argv.slice(1));
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
    case "audit": {
      const [action, ...more] = rest;
      if (action === undefined) return { kind: "usage", problem: "audit needs export" };
      if (action !== "export") return { kind: "usage", problem: `unknown audit command: ${action}` };
      return extra(more) ?? { kind: "audit", action, init: false };
    }
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

function isClientName(word: string | undefined): word is ClientName {
  return (CLIENT_COMMANDS as readonly (string | undefined)[]).includes(word);
}
