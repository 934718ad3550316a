import type { Server } from "node:http";
import type { ConnectionConfig } from "../config-connections.js";

/**
 * How often Node looks for requests past HEADERS_TIMEOUT or REQUEST_TIMEOUT. Its default, 30 s,
 * would let a slow client hold a connection up to 30 s past its timeout.
 */
const CHECK_INTERVAL_MS = 1000;

/** The Fastify server options that bound how long a client may hold a connection. */
export function connectionOptions(c: ConnectionConfig) {
  return {
    keepAliveTimeout: c.keepAliveTimeoutSeconds * 1000,
    requestTimeout: c.requestTimeoutSeconds * 1000,
    http: {
      headersTimeout: c.headersTimeoutSeconds * 1000,
      requestTimeout: c.requestTimeoutSeconds * 1000,
      connectionsCheckingInterval: CHECK_INTERVAL_MS,
    },
  };
}

/** Past MAX_CONNECTIONS, Node closes a new connection as soon as it accepts it. */
export function capConnections(server: Server, c: ConnectionConfig): void {
  server.maxConnections = c.maxConnections;
}
