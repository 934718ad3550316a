// Asking for a passphrase on the terminal with echo off: the terminal is put in raw mode, so the
// keys typed are neither shown nor kept in its scroll-back, and restored afterwards. The question
// and the answer go through the controlling terminal, /dev/tty, as with ssh and gpg, so this works
// when stdin is a pipe carrying the secret; with no terminal, the caller must give --passphrase-file.

import { openSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { ReadStream, WriteStream } from "node:tty";
import { ClientError, EXIT, usageError } from "./client/errors.js";

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Where the question goes: stderr, so that stdout stays the command's answer. */
  output: NodeJS.WritableStream;
}

interface Tty {
  input: ReadStream;
  output: NodeJS.WritableStream;
  close(): void;
}

/** The typed line, without its end; throws when no terminal is attached or the user cancels. */
export async function askHidden(question: string, terminal: Terminal): Promise<string> {
  const tty = openTty(terminal);
  if (tty === null) {
    throw usageError(
      "a passphrase is needed and no terminal is attached to ask it: use --passphrase-file PATH",
    );
  }
  try {
    return await readHidden(question, tty);
  } finally {
    tty.close();
  }
}

/**
 * The controlling terminal on fds of its own, so that stdin is left as it was (still readable for
 * a secret typed after the passphrase); stdin itself only when /dev/tty cannot be opened.
 */
function openTty(terminal: Terminal): Tty | null {
  try {
    const input = new ReadStream(openSync("/dev/tty", "r"));
    const output = new WriteStream(openSync("/dev/tty", "w"));
    return {
      input,
      output,
      close: () => {
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    if (terminal.input.isTTY === true && terminal.input instanceof ReadStream) {
      return { input: terminal.input, output: terminal.output, close: () => terminal.input.pause() };
    }
    return null;
  }
}

function readHidden(question: string, { input, output }: Tty): Promise<string> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder("utf8");
    let typed = "";
    const finish = (error: Error | null) => {
      input.off("data", onData);
      input.setRawMode(false);
      output.write("\n");
      if (error === null) resolve(typed);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of decoder.write(chunk)) {
        if (ch === "\r" || ch === "\n") return finish(null);
        if (ch === "\u0003") return finish(new ClientError(EXIT.usage, "cancelled"));
        if (ch === "\u0004") {
          if (typed === "") return finish(new ClientError(EXIT.usage, "cancelled"));
          return finish(null);
        }
        if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
        else if (ch === "\u0015") typed = "";
        else if (ch >= " ") typed += ch;
      }
    };
    // Echo goes off before the question shows, so nothing typed after it can be echoed.
    input.setRawMode(true);
    input.on("data", onData);
    input.resume();
    output.write(question);
  });
}
