// The connection options block of loadConfig (config.ts), read through its Reader: how long a
// client may take to send a request, how long an idle connection stays open, how many connections
// one process holds, and how much of an over-long body is read before the connection is closed.

import type { Reader } from "./config-reader.js";

export interface ConnectionConfig {
  /** HEADERS_TIMEOUT: seconds to send a request's headers, counted from its first byte (or from connecting). */
  headersTimeoutSeconds: number;
  /** REQUEST_TIMEOUT: seconds to send a whole request, headers and body. The answer's time is not counted. */
  requestTimeoutSeconds: number;
  /** KEEP_ALIVE_TIMEOUT: seconds an idle connection is kept open for a next request. */
  keepAliveTimeoutSeconds: number;
  /** MAX_CONNECTIONS: open connections per server process; one more is closed as soon as it is accepted. */
  maxConnections: number;
  /**
   * BODY_DRAIN_LIMIT: bytes of a body over BODY_LIMIT read and dropped after the size error, so that a
   * client still sending it reads the answer instead of a broken pipe. Past it the connection is closed.
   */
  drainLimit: number;
}

export function connectionConfig(r: Reader, bodyLimit: number): ConnectionConfig {
  const headersTimeoutSeconds = r.int("HEADERS_TIMEOUT", 20, { min: 1, max: 3600 });
  const requestTimeoutSeconds = r.int("REQUEST_TIMEOUT", 60, { min: 1, max: 3600 });
  if (headersTimeoutSeconds > requestTimeoutSeconds) {
    r.problem("HEADERS_TIMEOUT must not be greater than REQUEST_TIMEOUT");
  }
  return {
    headersTimeoutSeconds,
    requestTimeoutSeconds,
    keepAliveTimeoutSeconds: r.int("KEEP_ALIVE_TIMEOUT", 5, { min: 1, max: 3600 }),
    maxConnections: r.int("MAX_CONNECTIONS", 1000, { min: 1 }),
    drainLimit: r.int("BODY_DRAIN_LIMIT", 64 * bodyLimit, { min: 0 }),
  };
}
