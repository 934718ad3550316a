import cluster from "node:cluster";
import { createRequire } from "node:module";
import pino, { type DestinationStream, type Logger } from "pino";
import type PinoPretty from "pino-pretty";
import type { Config } from "../config.js";
import type { RootSecret } from "../crypto/root-secret.js";

// @fastify/multipart logs busboy's options at trace level, request headers (Authorization) included.
// An HTTP parser error carries the raw bytes it read (headers, bodies): never logged, whoever logs it.
const REDACT = { paths: ["busboyOptions", "err.rawPacket", "*.rawPacket"], remove: true };

export interface LoggerOptions {
  /** Where lines go: stdout by default; the CLI sends them to stderr, tests capture them. */
  destination?: DestinationStream | undefined;
  /**
   * Tag every line with this process's pid. On by default in a cluster worker, and the primary
   * asks for it: with WORKERS > 1 several processes write to one stream.
   */
  pid?: boolean;
}

/**
 * The one logger factory: every process (server, cluster primary, CLI) makes its logger here. JSON
 * lines by default; LOG_FORMAT=pretty (or, when it is unset, a terminal on stdout) renders each
 * record as a readable line instead. Both show the same records, so what may be logged is decided
 * once, where they are made. Pretty lines are written synchronously: a terminal is slow enough
 * already, and a line written just before process.exit() must not be lost.
 */
export function createLogger(
  config: Pick<Config, "logLevel" | "logFormat">,
  { destination, pid = cluster.isWorker }: LoggerOptions = {},
): Logger {
  const options = { level: config.logLevel, base: pid ? { pid: process.pid } : undefined, redact: REDACT };
  const terminal = destination === undefined && process.stdout.isTTY === true;
  const readable = config.logFormat === "pretty" || (config.logFormat === "auto" && terminal);
  if (!readable) return pino(options, destination ?? process.stdout);
  // Loaded only for readable logs: JSON output (services, containers) does not pay for it at start-up.
  const pretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  const stream = pretty({
    destination: destination ?? 1,
    sync: true,
    colorize: terminal,
    translateTime: "SYS:HH:MM:ss",
    // One record, one line: `[12:00:00] INFO: request {"method":"GET","path":"/","status":200,"ms":2}`.
    singleLine: true,
  });
  return pino(options, stream);
}

/**
 * Where the root key came from, said once per process that loads it: a warning when none was set
 * and a new one was just written (it must be backed up with the data), a note when it was read from
 * the data directory. Nothing when SECRET set it.
 */
export function logRootKey(log: Pick<Logger, "warn" | "info">, root: RootSecret): void {
  if (root.source === "generated") {
    log.warn(
      { path: root.path },
      "no SECRET set: generated a new root key; back it up with the data directory",
    );
  } else if (root.source === "file") {
    log.info({ path: root.path }, "root key loaded from the data directory");
  }
}
