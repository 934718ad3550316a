// A client that streams a body far over BODY_LIMIT reads the size error, not a broken pipe: the
// server reads and drops up to BODY_DRAIN_LIMIT (64 × BODY_LIMIT by default) of it before it lets
// the connection go. Node's fetch over a real socket against a real server process; raw sockets for
// what happens past the drain limit.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { rawConnection, responses } from "./support/raw-socket.js";
import { type Server, startServerProcess } from "./support/server-process.js";

const SECRET = "body-drain-test-root-secret-0123456789abcdef";
const BODY_LIMIT = 65536;
const DRAIN_LIMIT = 64 * BODY_LIMIT;
/** About 60 times the body limit, within the drain limit. */
const LARGE = 4_000_000;
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** `size` bytes of a form body, as a stream of 64 kB chunks: sent chunked, no Content-Length. */
function streamed(size: number): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(BODY_LIMIT).fill(0x61);
  let left = size;
  return new ReadableStream({
    pull(controller) {
      if (left <= 0) return controller.close();
      controller.enqueue(chunk.subarray(0, Math.min(left, chunk.length)));
      left -= chunk.length;
    },
  });
}

function post(server: Server, path: string, body: ReadableStream<Uint8Array> | Uint8Array) {
  return fetch(`${server.base}${path}`, {
    method: "POST",
    headers: FORM,
    body,
    duplex: "half",
  } as RequestInit);
}

let server: Server;
before(async () => {
  // A short REQUEST_TIMEOUT ends an unbounded drain (the failure this file looks for) sooner.
  server = await startServerProcess({ SECRET, HEADERS_TIMEOUT: "10", REQUEST_TIMEOUT: "10" });
});
after(() => server.stop());

describe("Node's fetch sending a body far over the limit reads the answer", () => {
  const tooLarge = { message: "Secret value exceeds the maximum size of 10000 bytes" };

  test("v1, streamed: 404 with X-OTS-Intended-Status 413", async () => {
    const res = await post(server, "/api/v1/share", streamed(LARGE));
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("x-ots-intended-status"), "413");
    assert.deepEqual(await res.json(), tooLarge);
  });

  test("v1, with a Content-Length: the same answer", async () => {
    const res = await post(server, "/api/v1/share", new Uint8Array(LARGE).fill(0x61));
    assert.equal(res.status, 404);
    assert.equal(res.headers.get("x-ots-intended-status"), "413");
    assert.deepEqual(await res.json(), tooLarge);
  });

  test("web, streamed: the 413 page", async () => {
    const res = await post(server, "/create", streamed(LARGE));
    assert.equal(res.status, 413);
    assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(await res.text(), /^<!doctype html>/);
  });
});

describe("the drain is bounded", () => {
  const head = (length: string) =>
    "POST /api/v1/share HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
    `${length}\r\n\r\n`;

  test("a drained body leaves the connection open for the next request", async () => {
    const conn = await rawConnection(server.base);
    const size = 4 * BODY_LIMIT;
    conn.socket.write(head(`Content-Length: ${size}`));
    conn.socket.write(Buffer.alloc(size, 0x61));
    conn.socket.end("GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    const sent = await conn.closed;
    assert.equal(responses(sent), 2, sent);
    assert.match(sent, /x-ots-intended-status: 413/i);
    assert.match(sent, /"status":"nominal"/);
  });

  test("a body declared longer than BODY_DRAIN_LIMIT: answered, then the connection is closed", async () => {
    const conn = await rawConnection(server.base);
    conn.socket.write(head(`Content-Length: ${DRAIN_LIMIT + 1}`));
    const sent = await conn.closed;
    assert.equal(responses(sent), 1);
    assert.match(sent, /x-ots-intended-status: 413/i);
  });

  test("a streamed body that runs past BODY_DRAIN_LIMIT: answered, then the connection is closed", async () => {
    const conn = await rawConnection(server.base);
    conn.socket.write(head("Transfer-Encoding: chunked"));
    const chunk = `${BODY_LIMIT.toString(16)}\r\n${"a".repeat(BODY_LIMIT)}\r\n`;
    // Send without end, one chunk once the last is written (so the answer is read as it comes),
    // until the server closes. Unbounded, the drain would last until REQUEST_TIMEOUT and add a 408.
    const send = () => {
      if (conn.socket.writable) conn.socket.write(chunk, send);
    };
    send();
    const sent = await conn.closed;
    assert.equal(responses(sent), 1, sent.slice(0, 200));
    assert.match(sent, /x-ots-intended-status: 413/i);
  });
});
