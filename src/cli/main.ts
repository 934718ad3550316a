import { readFileSync } from "node:fs";
import { type Command, parseCommand, USAGE } from "./args.js";
import { runClient } from "./client-run.js";

interface Streams {
  in?: NodeJS.ReadableStream & { isTTY?: boolean };
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  err?: NodeJS.WritableStream;
  /** The client commands' settings (ONETIME_URL, ONETIME_USER, ONETIME_TOKEN). */
  env?: Record<string, string | undefined>;
}

/** Runs one CLI command; returns the process exit code (-1: the server keeps running). */
export async function runCli(
  argv: string[],
  { in: input = process.stdin, out = process.stdout, err = process.stderr, env = process.env }: Streams = {},
): Promise<number> {
  const command: Command = parseCommand(argv);
  switch (command.kind) {
    case "help":
      out.write(`${USAGE}\n`);
      return 0;
    case "version":
      out.write(`${packageVersion()}\n`);
      return 0;
    case "usage":
      err.write(`${command.problem === null ? "" : `onetime: ${command.problem}\n\n`}${USAGE}\n`);
      return 2;
    case "client":
      return runClient(command, { in: input, out, err, env });
    case "serve":
      // Read by loadConfig like any other option; forked workers inherit it (and get the same argv).
      if (command.workers !== undefined) process.env.WORKERS = command.workers;
      // Loaded only for this command: the other commands need no HTTP server.
      await (await import("../server/serve.js")).serve();
      return -1;
    default:
      // Loaded only for these commands: the client commands never load the store.
      return (await import("./admin.js")).runOnStore(command, out, err);
  }
}

/** "onetime-server 0.1.0": the package's name, which is not the command's. */
function packageVersion(): string {
  // src/cli/ and dist/cli/ both sit two levels under the package root.
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  return `${pkg.name} ${pkg.version}`;
}
