import pino, { type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";
import type { Config } from "../config.js";

// @fastify/multipart logs busboy's options at trace level, request headers (Authorization) included.
const REDACT = { paths: ["busboyOptions"], remove: true };

/**
 * The one logger of a process. JSON lines by default; LOG_FORMAT=pretty (or, when it is unset, a
 * terminal on stdout) renders each record as a readable line instead. Both show the same records,
 * so what may be logged is decided once, where they are made. Pretty lines are written
 * synchronously: a terminal is slow enough already, and a line written just before process.exit()
 * must not be lost.
 */
export function createLogger(
  config: Pick<Config, "logLevel" | "logFormat">,
  destination?: DestinationStream,
): Logger {
  const options = { level: config.logLevel, base: undefined, redact: REDACT };
  const terminal = destination === undefined && process.stdout.isTTY === true;
  const readable = config.logFormat === "pretty" || (config.logFormat === "auto" && terminal);
  if (!readable) return pino(options, destination ?? process.stdout);
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
