// Addresses no client of ours makes, against a real server process: keys that decode to CR, LF, NUL
// or characters outside Latin-1 (which would break a Location header), malformed percent-encoding,
// and a request the HTTP parser itself refuses. Each is answered by the app's own handlers with
// every security header, and no log line of the process carries the query string that came with it.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { waitFor } from "./support/wait.js";

const MARK = "qsmark7f3e";
const QUERY = `?token=${MARK}&next=/dashboard`;
const BAD_KEYS = ["a%0Db", "a%0Ab", "a%0D%0ASet-Cookie:%20x=1", "%E2%82%AC", "%C4%80abc", "a%00b", "a%7Fb"];

let server: Server;
let cookie = "";
let csrf = "";

before(async () => {
  server = await startServerProcess({ SECRET: TEST_SECRET, RATE_LIMIT_ENABLED: "false" });
  const home = await fetch(`${server.base}/`);
  cookie = (home.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  csrf = /name="_csrf" value="([^"]+)"/.exec(await home.text())?.[1] ?? "";
  assert.notEqual(csrf, "");
});
after(() => server.stop());

function assertSecurityHeaders(res: Response, what: string): void {
  assert.equal(res.headers.get("x-frame-options"), "DENY", what);
  assert.equal(res.headers.get("x-content-type-options"), "nosniff", what);
  assert.equal(res.headers.get("referrer-policy"), "no-referrer", what);
  assert.match(res.headers.get("content-security-policy") ?? "", /default-src 'none'/, what);
  assert.equal(res.headers.get("cache-control"), "no-store", what);
}

async function send(method: string, path: string, form?: Record<string, string>): Promise<Response> {
  return fetch(`${server.base}${path}`, {
    method,
    redirect: "manual",
    headers: {
      cookie,
      ...(form === undefined ? {} : { "content-type": "application/x-www-form-urlencoded" }),
    },
    body: form === undefined ? undefined : new URLSearchParams(form).toString(),
  });
}

describe("a key that is not one", () => {
  for (const key of BAD_KEYS) {
    test(`${key}: not found on every page and v1 route, with the security headers`, async () => {
      const requests: [string, string, Record<string, string>?][] = [
        ["POST", `/receipt/${key}/burn`, { _csrf: csrf }],
        ["POST", `/private/${key}/burn`, { _csrf: csrf, next: "/dashboard" }],
        ["GET", `/receipt/${key}/burn`],
        ["GET", `/receipt/${key}`],
        ["GET", `/secret/${key}`],
        ["POST", `/secret/${key}`, { _csrf: csrf }],
        ["POST", `/api/v1/receipt/${key}/burn`, {}],
        ["POST", `/api/v1/private/${key}/burn`, {}],
        ["POST", `/api/v1/metadata/${key}`, {}],
        ["POST", `/api/v1/secret/${key}`, {}],
      ];
      for (const [method, path, form] of requests) {
        const res = await send(method, `${path}${QUERY}`, form);
        const what = `${method} ${path}`;
        assert.equal(res.status, 404, what);
        assertSecurityHeaders(res, what);
        assert.equal(res.headers.get("location"), null, what);
        const body = await res.text();
        if (path.startsWith("/api/")) assert.equal(JSON.parse(body).message, "Unknown secret", what);
      }
    });
  }
});

describe("malformed URLs and requests", () => {
  test("bad percent-encoding in the path: not found, with the security headers", async () => {
    for (const path of ["/%zz", "/%", "/api/v1/%zz", "/secret/%zz", "/receipt/%E2%82/burn", "/%C0%AF"]) {
      for (const method of ["GET", "POST"]) {
        const res = await send(method, `${path}${QUERY}`);
        const what = `${method} ${path}`;
        assert.equal(res.status, 404, what);
        assertSecurityHeaders(res, what);
        await res.arrayBuffer();
      }
    }
  });

  /** The raw answer to `request`, written as is on a fresh connection, read until the server closes it. */
  const raw = async (request: string): Promise<string> => {
    const { port } = new URL(server.base);
    return new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1");
      let got = "";
      socket.on("data", (chunk) => {
        got += chunk.toString("latin1");
      });
      socket.on("end", () => resolve(got));
      socket.on("error", reject);
      socket.write(request);
    });
  };
  const assertRawHeaders = (answer: string, status: number) => {
    assert.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `));
    assert.match(answer, /\r\nx-frame-options: DENY\r\n/i);
    assert.match(answer, /\r\ncontent-security-policy: default-src 'none'/i);
    assert.match(answer, /\r\nx-content-type-options: nosniff\r\n/i);
  };

  test("a request the HTTP parser refuses: 400 with the security headers, and the socket closes", async () => {
    const answer = await raw(
      `GET /${QUERY} HTTP/1.1\r\nHost: x\r\nX-Bad: a\0b\r\nAuthorization: Basic ${MARK}\r\n\r\n`,
    );
    assertRawHeaders(answer, 400);
  });

  test("no Host header (HTTP/1.1): refused with the security headers", async () => {
    assertRawHeaders(await raw(`GET /${QUERY} HTTP/1.1\r\nConnection: close\r\n\r\n`), 400);
  });

  test("an Expect other than 100-continue: 417 with the security headers", async () => {
    const answer = await raw(`GET /${QUERY} HTTP/1.1\r\nHost: x\r\nExpect: x\r\nConnection: close\r\n\r\n`);
    assertRawHeaders(answer, 417);
  });

  test("no log line carries a query string, and none tells of a 500", async () => {
    // One request more, answered after all the others: its line shows the log has caught up.
    await (await fetch(`${server.base}/api/v1/status?last=1`)).arrayBuffer();
    await waitFor(() => server.output().includes('"path":"/api/v1/status"'), { what: "the last line" });
    const lines = server.output().split("\n");
    assert.deepEqual(
      lines.filter((line) => line.includes(MARK) || line.includes("?token")),
      [],
    );
    assert.deepEqual(
      lines.filter((line) => /"status":5\d\d|"level":50/.test(line)),
      [],
    );
  });
});
