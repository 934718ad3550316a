// Raw HTTP/1.1 over a TCP socket: the fuzzer writes exactly the bytes it chose (CR, LF and NUL where
// no HTTP client would put them, truncated bodies, pipelined requests) and reads back every response
// the server wrote on that connection.
import { connect } from "node:net";

export interface WireResponse {
  status: number;
  headers: Map<string, string>;
}

export interface Exchange {
  responses: WireResponse[];
  /** The connection ended without a complete response to every request sent (refused or cut). */
  incomplete: boolean;
  /** No byte came back before the timeout: the server still held the connection. */
  timedOut: boolean;
}

/**
 * Sends `bytes` on a fresh connection to 127.0.0.1:`port` and collects the responses until the
 * server closes it or `timeoutMs` passes. `methods` lists the pipelined requests' methods in order
 * (a HEAD response has no body whatever its Content-Length says). `halfClose` ends our side after
 * writing, for bodies that stop short of their declared length.
 */
export function exchange(
  port: number,
  bytes: Buffer,
  { methods, halfClose, timeoutMs }: { methods: string[]; halfClose: boolean; timeoutMs: number },
): Promise<Exchange> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1");
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on("connect", () => {
      socket.write(bytes);
      if (halfClose) socket.end();
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    // A reset after a refusal is the server's right; what it wrote before still counts.
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearTimeout(timer);
      const { responses, complete } = parseResponses(Buffer.concat(chunks), methods);
      resolve({ responses, incomplete: !complete || responses.length < methods.length, timedOut });
    });
  });
}

const HEAD_END = Buffer.from("\r\n\r\n");

/** Every complete response in `data`, in order; `complete` is false when bytes were left over. */
export function parseResponses(
  data: Buffer,
  methods: string[],
): { responses: WireResponse[]; complete: boolean } {
  const responses: WireResponse[] = [];
  let at = 0;
  while (at < data.length) {
    const end = data.indexOf(HEAD_END, at);
    if (end < 0) return { responses, complete: false };
    const lines = data.subarray(at, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1] ?? Number.NaN);
    if (Number.isNaN(status)) return { responses, complete: false };
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    responses.push({ status, headers });
    at = end + HEAD_END.length;
    if (status < 200) continue; // 100 Continue: the real answer follows
    const method = methods[responses.filter((r) => r.status >= 200).length - 1] ?? "GET";
    const skipped = skipBody(data, at, headers, method, status);
    if (skipped === null) return { responses, complete: false };
    at = skipped;
  }
  return { responses, complete: true };
}

/** Where the body that starts at `at` ends, or null when it is cut short. */
function skipBody(
  data: Buffer,
  at: number,
  headers: Map<string, string>,
  method: string,
  status: number,
): number | null {
  if (method === "HEAD" || status === 204 || status === 304) return at;
  if (/chunked/i.test(headers.get("transfer-encoding") ?? "")) {
    let pos = at;
    for (;;) {
      const lineEnd = data.indexOf("\r\n", pos);
      if (lineEnd < 0) return null;
      const size = Number.parseInt(data.subarray(pos, lineEnd).toString("latin1"), 16);
      if (Number.isNaN(size)) return null;
      pos = lineEnd + 2 + size + 2;
      if (size === 0) return pos <= data.length ? pos : null;
      if (pos > data.length) return null;
    }
  }
  const length = headers.get("content-length");
  if (length === undefined) return data.length; // read to the end of the connection
  const end = at + Number(length);
  return end <= data.length ? end : null;
}
