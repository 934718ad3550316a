import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Database } from "better-sqlite3";

// WAL checkpoints off the event loop. By default SQLite checkpoints inside whichever COMMIT pushes
// the WAL past 1,000 pages: that request copies pages into the database file and fsyncs it, 5 to
// 100 ms during which the process serves nobody (the bench's share p99 was 300+ ms). Here the
// server's connection never checkpoints; a worker thread with its own connection runs a PASSIVE
// checkpoint every `intervalMs` (PASSIVE never blocks the writer, nor waits for it). Durability is
// unchanged: a commit is in the WAL either way, and synchronous=NORMAL still fsyncs at checkpoint.
// Should the worker die, the connection goes back to checkpointing by itself.

// Plain CommonJS evaluated in the worker, so it runs the same under tsx and from dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma("busy_timeout = 1000");
const timer = setInterval(() => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy or closing: the next tick tries again
  }
}, workerData.intervalMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

const AUTOCHECKPOINT_PAGES = 1000;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(db: Database, file: string, { intervalMs = 200 } = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file, intervalMs } });
  worker.unref();
  db.pragma("wal_autocheckpoint = 0");
  let stopped = false;
  const exited = new Promise<void>((resolve) => {
    worker.once("exit", () => {
      if (!stopped && db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
      resolve();
    });
  });
  worker.on("error", () => {
    // The exit handler restores the connection's own checkpoints.
  });
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      // Unref'd so that it never holds a process open; held again while we wait for it.
      worker.ref();
      worker.postMessage("stop");
      await exited;
    },
  };
}
