// The client commands' command line: `onetime share|get|receipt|burn|recent|status …`. Never a
// passphrase: it is asked on the terminal (--ask-passphrase, or when the server says a secret has
// one) or read from --passphrase-file. `--passphrase VALUE` is refused with that advice.

import { parseArgs } from "node:util";
import { parseTtl } from "./client/ttl.js";
import type { ApiVersion } from "./client/types.js";
import { optionProblem } from "./option-problem.js";

export const CLIENT_COMMANDS = [
  "share",
  "get",
  "receipt",
  "burn",
  "recent",
  "status",
  "request",
  "answer",
  "answers",
] as const;
export type ClientName = (typeof CLIENT_COMMANDS)[number];

export interface ClientCommand {
  kind: "client";
  name: ClientName;
  /** share: the text (undefined: stdin); get, receipt, burn: the link or key. */
  arg: string | undefined;
  server: string | undefined;
  api: ApiVersion | undefined;
  json: boolean;
  ttl: number | undefined;
  /** answer: the text given after the link (undefined: stdin). */
  text: string | undefined;
  /** request: how many answers it takes (API v2, docs/requests.md). */
  answers: number | undefined;
  /** share: how many times the link may be opened (API v2). */
  views: number | undefined;
  /** share --notify: mail the signed-in creator when it is read, burned or expires unread (API v2). */
  notify: boolean;
  generate: boolean;
  /** share: let the server encrypt, even when it takes client-encrypted secrets. */
  serverSide: boolean;
  /** share --domain: the host the link names (API v2; the server says which it takes). */
  domain: string | undefined;
  /** share --file: the file to share with the text (or alone). */
  file: string | undefined;
  /** get -o: where the secret's file (or, without one, its text) is written. */
  output: string | undefined;
  /** get --force: -o may replace an existing file. */
  force: boolean;
  recipients: string[];
  askPassphrase: boolean;
  passphraseFile: string | undefined;
}

export type ClientParse = ClientCommand | { kind: "help" } | { kind: "usage"; problem: string };

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  server: { type: "string" },
  api: { type: "string" },
  json: { type: "boolean" },
  ttl: { type: "string" },
  views: { type: "string" },
  answers: { type: "string" },
  notify: { type: "boolean" },
  generate: { type: "boolean" },
  "server-side": { type: "boolean" },
  file: { type: "string" },
  domain: { type: "string" },
  output: { type: "string", short: "o" },
  force: { type: "boolean" },
  recipient: { type: "string", multiple: true },
  "ask-passphrase": { type: "boolean" },
  "passphrase-file": { type: "string" },
  passphrase: { type: "string" },
} as const;

/** Which command takes which of the options beyond --server, --api, --json and --help. */
const ALLOWED: Record<ClientName, string[]> = {
  share: [
    "ttl",
    "views",
    "notify",
    "generate",
    "server-side",
    "recipient",
    "ask-passphrase",
    "passphrase-file",
    "file",
    "domain",
  ],
  get: ["ask-passphrase", "passphrase-file", "output", "force"],
  burn: ["ask-passphrase", "passphrase-file"],
  receipt: [],
  recent: [],
  status: [],
  request: ["ttl", "answers"],
  answer: [],
  answers: [],
};

const NO_PASSPHRASE_IN_ARGV =
  "a passphrase never goes on the command line (other users can read it there): " +
  "use --ask-passphrase to type it, or --passphrase-file PATH";

export function parseClientCommand(name: ClientName, argv: string[]): ClientParse {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    // `--passphrase` alone (no value) lands here: the same advice as with a value.
    if (/'--passphrase[ ']/.test((err as Error).message))
      return { kind: "usage", problem: NO_PASSPHRASE_IN_ARGV };
    return { kind: "usage", problem: optionProblem(err) };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help" };
  if (values.passphrase !== undefined) return { kind: "usage", problem: NO_PASSPHRASE_IN_ARGV };
  for (const option of Object.keys(values)) {
    if (["help", "server", "api", "json"].includes(option)) continue;
    if (!ALLOWED[name].includes(option))
      return { kind: "usage", problem: `--${option} does not go with ${name}` };
  }
  const usage = (problem: string): ClientParse => ({ kind: "usage", problem });
  const takesArg = !["recent", "status"].includes(name);
  const [arg, ...more] = name === "answer" ? positionals.slice(0, 1) : positionals;
  // answer LINK [TEXT]: the text after the link (else stdin).
  const answerText = name === "answer" ? positionals[1] : undefined;
  if (name === "answer" && positionals.length > 2)
    return usage(`unexpected argument: ${positionals[2]} (quote the text)`);
  if (more.length > 0 || (!takesArg && arg !== undefined)) {
    return usage(`unexpected argument: ${more[0] ?? arg}${name === "share" ? " (quote the text)" : ""}`);
  }
  if (name === "request" && (arg === undefined || arg.trim() === "")) return usage("request needs a NOTE");
  if (takesArg && name !== "share" && arg === undefined) return usage(`${name} needs a LINK or KEY`);
  const answers = values.answers === undefined ? undefined : parseViews(values.answers);
  if (answers === null) return usage(`--answers takes a whole number of 1 or more, not ${values.answers}`);
  if (values.api !== undefined && values.api !== "v1" && values.api !== "v2") {
    return usage(`--api takes v1 or v2, not ${values.api}`);
  }
  const ttl = values.ttl === undefined ? undefined : parseTtl(values.ttl);
  if (ttl === null) return usage(`--ttl takes seconds or a duration like 90, 30m, 1h, 7d, not ${values.ttl}`);
  const views = values.views === undefined ? undefined : parseViews(values.views);
  if (views === null) return usage(`--views takes a whole number of 1 or more, not ${values.views}`);
  const generate = values.generate ?? false;
  if (generate && arg !== undefined) return usage("--generate makes the secret: give no TEXT");
  if (generate && values.file !== undefined) return usage("--generate or --file, not both");
  if (values.file === "") return usage("--file needs a PATH");
  if (values.domain !== undefined && values.domain.trim() === "") return usage("--domain needs a HOST");
  if (values.output === "") return usage("-o needs a PATH");
  // Without -o a file is written under a name that no file has yet: there is nothing to force.
  if (values.force === true && values.output === undefined) return usage("--force goes with -o PATH");
  const askPassphrase = values["ask-passphrase"] ?? false;
  if (askPassphrase && values["passphrase-file"] !== undefined) {
    return usage("--ask-passphrase or --passphrase-file, not both");
  }
  return {
    kind: "client",
    name,
    arg,
    server: values.server,
    api: values.api,
    json: values.json ?? false,
    ttl,
    views,
    answers,
    text: answerText,
    notify: values.notify ?? false,
    generate,
    serverSide: values["server-side"] ?? false,
    file: values.file,
    domain: values.domain?.trim(),
    output: values.output,
    force: values.force ?? false,
    recipients: values.recipient ?? [],
    askPassphrase,
    passphraseFile: values["passphrase-file"],
  };
}

/** A whole number of 1 or more, in plain digits; null otherwise (the server says its own ceiling). */
function parseViews(text: string): number | null {
  return /^[0-9]{1,6}$/.test(text) && Number(text) >= 1 ? Number(text) : null;
}

function parse(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
}
