import { type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger } from "fastify";

interface ClientError extends Error {
  code?: string;
}

/**
 * Node's `clientError`: a request its parser refused, or a connection that timed out before its
 * request was read (HEADERS_TIMEOUT, REQUEST_TIMEOUT). It gets the answer Fastify would give it,
 * with the security headers, and a debug line with the error's code only. Fastify's own handler logs the error object, whose
 * `rawPacket` is the bytes read so far: the request's headers (Authorization) and the body of a
 * request pipelined before it (a secret, a passphrase).
 */
export function clientErrorHandler(log: FastifyBaseLogger, headers: Record<string, string>) {
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
      // The security headers too: this answer is written here, outside Fastify's onSend hooks.
      const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      socket.write(
        `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
          `${head.join("")}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/**
 * An `Expect` header other than `100-continue` is answered by Node itself (417) unless the server
 * listens for it: this answer carries the security headers like every other.
 */
export function expectationFailed(headers: Record<string, string>) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const body = JSON.stringify({ error: STATUS_CODES[417], statusCode: 417 });
    res
      .writeHead(417, {
        ...headers,
        connection: "close",
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
      })
      .end(body);
  };
}
