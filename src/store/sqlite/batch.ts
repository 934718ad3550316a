import type { Database } from "better-sqlite3";

// Group commit. Under load many requests reach the store in the same event-loop turn; each write
// in its own IMMEDIATE transaction pays a commit (WAL frames for the same index pages, again and
// again). Here the writes queued during one turn are run at the next in ONE IMMEDIATE transaction,
// each inside its own savepoint (better-sqlite3 nests transaction functions as savepoints):
//   - each write stays atomic on its own: one that throws is rolled back alone and only its caller
//     gets the error;
//   - nobody hears "done" before the commit: a take hands its row out only once its delete is
//     durable, and a failed commit rolls every write back, so a failed take consumed nothing;
//   - exactly-once is untouched: every DELETE … RETURNING still runs under the write lock, and two
//     takes of one secret in the same batch see each other (the second finds no row).
// A lone write skips the savepoint and runs as before. Measured on 2 cores: 55 µs → 23 µs per
// insert with 32 per commit (bench/, docs/benchmarks.md).

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/** Runs `run` in the next group commit and settles with its result once that commit is done. */
export type GroupWrite = <T>(run: () => T) => Promise<T>;

/**
 * Returns `write(fn)`, which runs `fn` in the next group commit. `fn` must do all its writing through
 * one better-sqlite3 transaction function, so that it becomes a savepoint inside the batch.
 */
export function createGroupCommit(db: Database, { maxBatch = 256 }: { maxBatch?: number } = {}): GroupWrite {
  let queue: Pending[] = [];
  let scheduled = false;

  const runAll = db.transaction((items: Pending[]) =>
    items.map((item) => {
      try {
        return { ok: true as const, value: item.run() };
      } catch (err) {
        // Some failures (disk full, I/O) make SQLite roll the whole transaction back; what follows
        // would then commit on its own while its caller is told it failed. Abort the batch instead.
        if (!db.inTransaction) throw err;
        return { ok: false as const, err };
      }
    }),
  );

  function flush(): void {
    scheduled = false;
    const items = queue.slice(0, maxBatch);
    queue = queue.slice(items.length);
    if (queue.length > 0) schedule();
    if (items.length === 1) {
      const [only] = items as [Pending];
      try {
        only.resolve(only.run());
      } catch (err) {
        only.reject(err);
      }
      return;
    }
    let outcomes: ReturnType<typeof runAll>;
    try {
      outcomes = runAll.immediate(items);
    } catch (err) {
      for (const item of items) item.reject(err);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const item = items[i] as Pending;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.err);
    });
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(flush);
  }

  return function write<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
  };
}
