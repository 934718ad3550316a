// The connection options block of loadConfig (config.ts), read through its Reader: how long a
// client may take to send a request, how long an idle connection stays open, and how many
// connections one process holds.

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
}

export function connectionConfig(r: Reader): ConnectionConfig {
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
  };
}
