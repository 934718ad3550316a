// Temporary directories for tests: one call makes it, one call (or the end of a `using` block)
// removes it with everything inside.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir extends Disposable {
  /** Absolute path of the new, empty directory. */
  readonly path: string;
  /** Deletes the directory and its content; safe to call twice. */
  remove(): void;
}

/**
 * A fresh directory under the system's temporary directory, named `<prefix>XXXXXX`. Either
 * `using dir = tempDir("onetime-x-")` (removed when the block ends, even on failure) or
 * `const dir = tempDir(); after(() => dir.remove())` when it outlives one block.
 */
export function tempDir(prefix = "onetime-test-"): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const remove = () => rmSync(path, { recursive: true, force: true });
  return { path, remove, [Symbol.dispose]: remove };
}
