// Text the client reads from outside its argv: a secret from stdin, a passphrase from a file. Both
// are read as bytes and decoded as strict UTF-8, so a secret is shared exactly as given (line
// breaks, a leading BOM, any character) or refused: never altered by a lenient decoder.

import { readFile } from "node:fs/promises";
import { usageError } from "./client/errors.js";

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function decodeStrict(bytes: Uint8Array, what: string): string {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    throw usageError(`${what} is not valid UTF-8 text: share a binary file with --file PATH instead`);
  }
}

export async function readAll(input: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of input) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

/** The passphrase in `path`: the whole file but one trailing line break; refused when empty. */
export async function readPassphraseFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw usageError(`cannot read the passphrase file ${path}${typeof code === "string" ? `: ${code}` : ""}`);
  }
  const passphrase = decodeStrict(bytes, "the passphrase file").replace(/\r?\n$/, "");
  if (passphrase === "") throw usageError(`the passphrase file ${path} is empty`);
  return passphrase;
}
