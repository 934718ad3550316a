import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import Fastify from "fastify";
import pino from "pino";
import { RedactedRequestLog } from "./request-log.js";

test("Fastify's last-resort error lines carry the redacted path, never the URL or the message", async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = Fastify({
    loggerInstance: pino({ level: "trace" }, stream),
    logController: new RedactedRequestLog(),
  });
  // No error handler of ours: a header that cannot be written ends in Fastify's own handlers.
  app.get("/secret/:key", async (_req, reply) => reply.redirect("/a\r\nb-leak", 303));
  await app.listen({ port: 0, host: "127.0.0.1" });
  try {
    const { port } = app.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/secret/abcdefgh1234?token=query-leak`, {
      redirect: "manual",
    });
    assert.equal(res.status, 500);
  } finally {
    await app.close();
  }
  const text = lines.join("");
  assert.match(text, /"path":"\/secret\/abcd…"/);
  assert.match(text, /"code":"ERR_INVALID_CHAR"/);
  assert.doesNotMatch(text, /query-leak|abcdefgh1234|b-leak|Invalid character/);
});
