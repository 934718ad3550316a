// Slow and idle connections are closed by the server, and one process holds at most MAX_CONNECTIONS:
// real sockets against a real server process with short timeouts set by the test. Each test waits
// for the socket's "close"; the only bound is a generous one, far below Node's own defaults (60 s
// for headers, none for a body, 72 s idle under Fastify), so that a server without the timeouts fails.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { type RawConnection, rawConnection, responses } from "./support/raw-socket.js";
import { type Server, startServerProcess } from "./support/server-process.js";

const SECRET = "connections-test-root-secret-0123456789abcdef";
/** Far above the timeouts below (1–2 s), far below Node's defaults. */
const BOUND_MS = 20_000;
const STATUS = "GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\n\r\n";

/** Resolves with what the server sent once it closes `conn`; fails if it is still open after BOUND_MS. */
async function closedByServer(conn: RawConnection, what: string): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: still open after ${BOUND_MS} ms`)), BOUND_MS);
  });
  try {
    return await Promise.race([conn.closed, bound]);
  } finally {
    clearTimeout(timer);
    conn.socket.destroy();
  }
}

/** Writes `text` one byte at a time, one every 100 ms, until the connection closes: a slow client. */
function trickle(conn: RawConnection, text: string): void {
  let at = 0;
  const timer = setInterval(() => {
    if (at < text.length && conn.socket.writable) conn.socket.write(text[at++] ?? "");
  }, 100);
  void conn.closed.then(() => clearInterval(timer));
}

// Each test has its own connection to the one server: they wait for their timeouts side by side.
describe("timeouts", { concurrency: true }, () => {
  let server: Server;
  before(async () => {
    server = await startServerProcess({
      SECRET,
      HEADERS_TIMEOUT: "1",
      REQUEST_TIMEOUT: "2",
      KEEP_ALIVE_TIMEOUT: "1",
    });
  });
  after(() => server.stop());

  test("headers trickled byte by byte: closed with a 408 after HEADERS_TIMEOUT", async () => {
    const conn = await rawConnection(server.base);
    trickle(conn, `GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\n${"X-Slow: 1\r\n".repeat(1000)}\r\n`);
    assert.match(await closedByServer(conn, "trickled headers"), /^HTTP\/1\.1 408 /);
  });

  test("a body trickled byte by byte: closed with a 408 after REQUEST_TIMEOUT", async () => {
    const conn = await rawConnection(server.base);
    const body = `secret=${"x".repeat(2000)}`;
    conn.socket.write(
      "POST /api/v1/share HTTP/1.1\r\nHost: localhost\r\n" +
        `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    trickle(conn, body);
    assert.match(await closedByServer(conn, "trickled body"), /^HTTP\/1\.1 408 /);
  });

  test("a connection that never sends a byte: closed after HEADERS_TIMEOUT", async () => {
    const conn = await rawConnection(server.base);
    await closedByServer(conn, "silent connection");
  });

  test("an idle connection after an answered request: closed after KEEP_ALIVE_TIMEOUT", async () => {
    const conn = await rawConnection(server.base);
    conn.socket.write(STATUS);
    const sent = await closedByServer(conn, "idle keep-alive connection");
    assert.equal(responses(sent), 1);
    assert.match(sent, /^HTTP\/1\.1 200 /);
  });
});

describe("MAX_CONNECTIONS", () => {
  const CAP = 3;
  let server: Server;
  before(async () => {
    server = await startServerProcess({ SECRET, MAX_CONNECTIONS: String(CAP), KEEP_ALIVE_TIMEOUT: "600" });
  });
  after(() => server.stop());

  /** Sends a status request on `conn` and resolves once its answer (the n-th on it) is in. */
  async function served(conn: RawConnection, n: number): Promise<void> {
    conn.socket.write(STATUS);
    while (responses(conn.received()) < n || !conn.received().endsWith("}")) {
      await Promise.race([new Promise((resolve) => conn.socket.once("data", resolve)), conn.closed]);
      if (conn.socket.destroyed) throw new Error(`connection closed before answer ${n}`);
    }
  }

  test("past the cap a new connection is closed unanswered; the open ones are still served", async () => {
    const open: RawConnection[] = [];
    try {
      // Each one answered, so the server has surely counted it before the next one arrives.
      for (let i = 0; i < CAP; i++) {
        const conn = await rawConnection(server.base);
        open.push(conn);
        await served(conn, 1);
      }
      const extra = await rawConnection(server.base);
      extra.socket.write(STATUS);
      assert.equal(await closedByServer(extra, "the connection past the cap"), "");
      for (const conn of open) await served(conn, 2);
    } finally {
      for (const conn of open) conn.socket.destroy();
    }
  });
});
