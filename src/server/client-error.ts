import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger } from "fastify";

interface ClientError extends Error {
  code?: string;
}

/**
 * Node's `clientError`: a request its parser refused, or a connection that timed out before its
 * request was read (HEADERS_TIMEOUT, REQUEST_TIMEOUT). It gets the answer Fastify would give it,
 * and a debug line with the error's code only. Fastify's own handler logs the error object, whose
 * `rawPacket` is the bytes read so far: the request's headers (Authorization) and the body of a
 * request pipelined before it (a secret, a passphrase).
 */
export function clientErrorHandler(log: FastifyBaseLogger) {
  return (err: ClientError, socket: Socket): void => {
    // A reset connection has nobody left to answer.
    if (err.code === "ECONNRESET" || socket.destroyed) return;
    const status =
      err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    log.debug({ code: err.code, status }, "client error");
    // Nothing is written after a response already begun on this socket (Node's own rule).
    const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && current?.headersSent !== true) {
      const reason = STATUS_CODES[status] ?? "Bad Request";
      const body = JSON.stringify({ error: reason, statusCode: status });
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
