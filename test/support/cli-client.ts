// The `onetime` client commands as a user runs them: a child process with its own environment and
// stdin bytes, or under a real pseudo-terminal (util-linux `script`) for what a person types. It
// runs src/cli/bin.ts compiled to JavaScript (support/compiled.ts): plain `node`, no loader.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { ROOT } from "./built-package.js";
import { compiled } from "./compiled.js";
import { waitFor } from "./wait.js";

const bin = () => compiled("src/cli/bin.ts");

export interface ClientRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `onetime ARGS` with only PATH, HOME and `env`, `input` as its stdin (closed at once when absent),
 * in `cwd` (the repository by default).
 */
export async function onetime(
  args: string[],
  {
    env = {},
    input,
    nodeArgs = [],
    cwd = ROOT,
  }: { env?: Record<string, string>; input?: string | Buffer; nodeArgs?: string[]; cwd?: string } = {},
): Promise<ClientRun> {
  const child = spawn(process.execPath, [...nodeArgs, bin(), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  child.stdin.end(input);
  const [code] = await once(child, "close");
  return { code, stdout, stderr };
}

/** A session under a pseudo-terminal: everything the terminal showed, and a way to type. */
export interface TerminalSession {
  /** What the terminal showed so far (the program's output and any echo of what was typed). */
  screen(): string;
  /** Waits until the terminal shows `text`. */
  waitFor(text: string): Promise<void>;
  type(keys: string): void;
  /** The exit status (script -e passes the program's own). */
  exited: Promise<number | null>;
}

const quote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * `onetime ARGS` with a pseudo-terminal as its stdin, stdout and stderr; with `piped`, its stdin is
 * instead a pipe carrying that text (the terminal stays its controlling terminal, /dev/tty).
 */
export function onetimeOnTerminal(
  args: string[],
  env: Record<string, string> = {},
  piped?: string,
): TerminalSession {
  const onetime = [process.execPath, bin(), ...args].map(quote).join(" ");
  const command = piped === undefined ? onetime : `printf '%s' ${quote(piped)} | ${onetime}`;
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/", TERM: "dumb", ...env },
  });
  let screen = "";
  child.stdout.on("data", (chunk) => {
    screen += chunk;
  });
  child.stderr.on("data", (chunk) => {
    screen += chunk;
  });
  const exited = once(child, "close").then(([code]) => code as number | null);
  return {
    screen: () => screen,
    waitFor: async (text) => {
      await waitFor(() => screen.includes(text), {
        what: () => `${JSON.stringify(text)} on the terminal, which shows ${JSON.stringify(screen)}`,
        on: { emitter: child.stdout, event: "data" },
      });
    },
    type: (keys) => child.stdin.write(keys),
    exited: exited.finally(() => child.stdin.end()),
  };
}
