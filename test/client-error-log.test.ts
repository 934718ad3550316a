// A request the HTTP parser refuses is logged by its error code only, at every level: never with
// the raw bytes the parser had read (`rawPacket`), which hold its Authorization header and the body
// of the request pipelined before it. A real process at LOG_LEVEL=trace, a real socket.
import assert from "node:assert/strict";
import { test } from "node:test";
import { rawConnection } from "./support/raw-socket.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { waitFor } from "./support/wait.js";

const SECRET = "client-error-log-root-secret-0123456789abcdef";

/** The ways a string can show in a JSON log line: as text, or as a Buffer's array of bytes. */
function shapes(text: string): string[] {
  return [text, Buffer.from(text).toJSON().data.join(",")];
}

test("at trace level, a malformed request after a pipelined one logs none of their bytes", async () => {
  const server: Server = await startServerProcess({ LOG_LEVEL: "trace", SECRET });
  try {
    const secret = "PipelinedSecret4c1d9e";
    const passphrase = "PipelinedPass7b20fa";
    const basic = Buffer.from("victim@example.com:BasicToken93e1c5").toString("base64");
    const malformedBasic = Buffer.from("other@example.com:MalformedToken5d8a").toString("base64");
    const body = `secret=${secret}&passphrase=${passphrase}`;
    const valid =
      "POST /api/v1/share HTTP/1.1\r\nHost: localhost\r\n" +
      `Authorization: Basic ${basic}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
      `Content-Length: ${body.length}\r\n\r\n${body}`;
    const malformed =
      "POST /api/v1/share HTTP/1.1\r\nHost: localhost\r\n" +
      `Authorization: Basic ${malformedBasic}\r\nthis line is no header\r\n\r\n`;

    const conn = await rawConnection(server.base);
    // One write: the parser reads both requests in one packet, as a pipelining client sends them.
    conn.socket.write(valid + malformed);
    const answer = await conn.closed;
    assert.match(answer, /^HTTP\/1\.1 400 /m, "the malformed request is refused");
    await waitFor(() => server.output().includes('"msg":"client error"'), {
      what: "the client error's log line",
      on: { emitter: server.outputEvents, event: "data" },
    });

    const log = server.output();
    for (const value of [
      secret,
      passphrase,
      basic,
      malformedBasic,
      "BasicToken93e1c5",
      "MalformedToken5d8a",
    ]) {
      for (const shape of shapes(value)) {
        assert.ok(!log.includes(shape), `the log holds ${value}`);
      }
    }
    assert.doesNotMatch(log, /rawPacket/);
  } finally {
    await server.stop();
  }
});
