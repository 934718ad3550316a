import type { FastifyInstance } from "fastify";

/**
 * A request refused before its body was read (a body over BODY_LIMIT, an unreadable one) is
 * answered at once. Fastify then closes the connection, and closing it with the rest of the body
 * unread resets it: a client still sending (Node's fetch, most HTTP libraries, which write the
 * whole body before they read) gets a broken pipe instead of the answer. So up to `limit` bytes of
 * the rest are read and dropped, and the connection stays open for a next request once the body
 * has ended. A body declared longer than `limit`, or one that runs past it, is cut off as before.
 * The time it may take is bounded by REQUEST_TIMEOUT: the request is not complete until then.
 */
export function drainRefusedBodies(app: FastifyInstance, limit: number): void {
  if (limit === 0) return;
  app.addHook("onSend", async (req, reply) => {
    const raw = req.raw;
    if (raw.complete || reply.getHeader("connection") !== "close") return;
    if (Number(raw.headers["content-length"]) > limit) return;
    reply.removeHeader("connection");
    let read = 0;
    const drop = (chunk: Buffer) => {
      read += chunk.length;
      if (read <= limit) return;
      raw.off("data", drop);
      raw.socket.destroy();
    };
    raw.on("data", drop);
    raw.resume();
  });
}
