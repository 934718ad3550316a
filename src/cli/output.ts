// Where `onetime get` writes a secret's file. A reveal consumes the secret, so everything that can
// refuse the write is checked BEFORE it: with -o PATH the path is claimed at once (created empty and
// exclusively, so no other file can take it, or, with --force, its directory checked writable);
// without -o the current directory is checked writable. After the reveal the bytes always find a
// place: -o's claimed file, or, in the directory, the file's own (cleaned) name, or "name (1).ext",
// "name (2).ext"… when that is taken: a file that was just consumed is never lost to a name clash,
// and no existing file is ever replaced without --force. Files are written with mode 0600.

import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, type FileHandle, open, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { ClientError, EXIT, usageError } from "./client/errors.js";

const MODE = 0o600;

/** A place claimed before the reveal; `save` writes the bytes, `discard` gives the place back. */
export interface Sink {
  /** Writes the bytes (named `name` where the sink chooses the name); returns the path written. */
  save(bytes: Uint8Array, name: string): Promise<string>;
  discard(): Promise<void>;
}

/** -o PATH: refused at once when PATH exists (unless `force`) or cannot be written. */
export async function claimPath(path: string, { force }: { force: boolean }): Promise<Sink> {
  if (!force) {
    let handle: FileHandle;
    try {
      handle = await open(path, "wx", MODE);
    } catch (err) {
      throw refusal(path, err);
    }
    return {
      async save(bytes) {
        try {
          await handle.writeFile(bytes);
        } finally {
          await handle.close();
        }
        return path;
      },
      async discard() {
        await handle.close();
        await unlink(path).catch(() => undefined);
      },
    };
  }
  // --force: the old file stays whole until the new one is complete, then is replaced at once.
  if ((await stat(path).catch(() => null))?.isDirectory() === true) {
    throw usageError(`${path} is a directory: name a file (nothing was consumed)`);
  }
  await writable(dirname(path));
  return {
    async save(bytes) {
      const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.part`);
      await writeNew(temporary, bytes);
      await rename(temporary, path).catch(async (err: unknown) => {
        await unlink(temporary).catch(() => undefined);
        throw err;
      });
      return path;
    },
    async discard() {},
  };
}

/** No -o: the file goes into `dir` under its own name, or a numbered one when that is taken. */
export async function claimDirectory(dir: string): Promise<Sink> {
  await writable(dir);
  return {
    async save(bytes, name) {
      for (const candidate of candidates(name)) {
        const path = join(dir, candidate);
        try {
          await writeNew(path, bytes);
          return path;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        }
      }
      throw new ClientError(EXIT.unavailable, `no free name for ${name} in ${dir}`);
    },
    async discard() {},
  };
}

/** "name.ext", then "name (1).ext" … "name (999).ext". */
function* candidates(name: string): Generator<string> {
  yield name;
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; n < 1000; n++) yield `${stem} (${n})${ext}`;
}

/** Creates `path` (never an existing one) and writes `bytes` to it. */
async function writeNew(path: string, bytes: Uint8Array): Promise<void> {
  const handle = await open(path, "wx", MODE);
  try {
    await handle.writeFile(bytes);
  } finally {
    await handle.close();
  }
}

async function writable(dir: string): Promise<void> {
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw refusal(dir, err);
  }
}

function refusal(path: string, err: unknown): ClientError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === "EEXIST") {
    return usageError(`${path} exists: add --force to replace it (nothing was consumed)`);
  }
  return usageError(
    `cannot write ${path}${typeof code === "string" ? ` (${code})` : ""}: nothing was consumed`,
  );
}
