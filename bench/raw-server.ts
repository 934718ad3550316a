import { createServer } from "node:http";
import type * as Body from "../src/http/body.js";

// The ceiling: plain node:http that reads the body, decodes it as strict UTF-8, parses it with the
// server's own form parser and answers a small JSON object. No framework, no store, no crypto: what
// Node itself costs per request on this machine. bench/servers.ts runs it as plain JavaScript (no
// tsx loader in the process it measures), with BODY_MODULE = the built dist/http/body.js.

const { parseForm } = (await import(process.env.BODY_MODULE ?? "../src/http/body.js")) as typeof Body;

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const port = Number(process.env.PORT ?? 0);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    let fields = 0;
    try {
      fields = Object.keys(parseForm(strictUtf8.decode(Buffer.concat(chunks)))).length;
    } catch {
      res.writeHead(400).end();
      return;
    }
    const body = JSON.stringify({ status: "nominal", fields, at: Math.floor(Date.now() / 1000) });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
    res.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(port, "127.0.0.1");
process.on("SIGTERM", () => server.close(() => process.exit(0)));
