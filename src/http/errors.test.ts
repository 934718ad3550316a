import assert from "node:assert/strict";
import { test } from "node:test";
import Fastify from "fastify";
import { dropInvalidHeaders } from "./errors.js";

test("dropInvalidHeaders lets an error handler answer when a header could not be written", async () => {
  const app = Fastify();
  app.get("/", async (_req, reply) => reply.header("x-ok", "kept").redirect("/a\r\nSet-Cookie: x=1", 303));
  app.setErrorHandler((_err, _req, reply) => {
    dropInvalidHeaders(reply);
    return reply.code(404).header("x-handled", "yes").send({ error: "Not Found" });
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  try {
    const { port } = app.server.address() as { port: number };
    const res = await fetch(`http://127.0.0.1:${port}/`, { redirect: "manual" });
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("x-handled"), "yes");
    assert.equal(res.headers.get("x-ok"), "kept");
    assert.equal(res.headers.get("location"), null);
    assert.equal(res.headers.get("set-cookie"), null);
  } finally {
    await app.close();
  }
});
