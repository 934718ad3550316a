// The start-up line says where the server listens (bind address and port, and whether every
// interface answers), the address to open, and where links point.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { startServer } from "../src/server/start.js";
import { TEST_SECRET } from "./support/helpers.js";
import { tempDir } from "./support/temp.js";

type Line = Record<string, unknown>;

/** Starts a real server with `env`, returns its start-up line and its port, and stops it. */
async function startupLine(env: Record<string, string>): Promise<{ line: Line; port: number }> {
  using dir = tempDir("onetime-start-log-");
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const server = await startServer({
    env: { PORT: "0", DATA_DIR: dir.path, SECRET: TEST_SECRET, ...env },
    logStream,
  });
  await server.stop();
  const records = lines.map((l) => JSON.parse(l) as Line);
  const line = records.find((l) => l.msg === "onetime listening");
  assert.ok(line, "a start-up line");
  // Fastify's own lines name each address that answers, as such.
  assert.ok(records.some((l) => /^reachable at http:\/\//.test(String(l.msg))));
  assert.ok(!records.some((l) => /^Server listening at/.test(String(l.msg))));
  return { line, port: Number(new URL(server.url).port) };
}

test("on every interface (the default): the bind address, the URL to open, where links point", async () => {
  const { line, port } = await startupLine({});
  assert.equal(line.listen, `0.0.0.0:${port} (every network interface)`);
  assert.equal(line.open, `http://localhost:${port}/`);
  assert.equal(line.links, "each request's own host (HOST is unset)");
  // Not one of the machine's addresses, which said neither "every interface" nor what to open.
  assert.equal(line.address, undefined);
});

test("on loopback only, it says so", async () => {
  const { line, port } = await startupLine({ BIND_ADDRESS: "127.0.0.1" });
  assert.equal(line.listen, `127.0.0.1:${port} (this machine only)`);
  assert.equal(line.open, `http://localhost:${port}/`);
});

test("with HOST, links and the URL to open are HOST's; an IPv6 address is bracketed", async () => {
  const { line, port } = await startupLine({
    BIND_ADDRESS: "127.0.0.1",
    HOST: "secrets.example.com",
    SSL: "true",
  });
  assert.equal(line.listen, `127.0.0.1:${port} (this machine only)`);
  assert.equal(line.open, "https://secrets.example.com/");
  assert.equal(line.links, "https://secrets.example.com");
  const ipv6 = await startupLine({ BIND_ADDRESS: "::1" });
  assert.equal(ipv6.line.listen, `[::1]:${ipv6.port} (this machine only)`);
});
