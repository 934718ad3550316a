// Plain TCP connections to a server under test, for what an HTTP client library hides: trickled
// bytes, pipelined and malformed requests, idle connections. Nothing here sleeps: a test waits on
// the socket's events.
import { connect, type Socket } from "node:net";

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves once the connection is closed (by either side), with everything the server sent. */
  closed: Promise<string>;
}

/** Connects to the server at `base` (http://host:port) and records what it answers. */
export async function rawConnection(base: string): Promise<RawConnection> {
  const { hostname, port } = new URL(base);
  const socket = connect(Number(port), hostname);
  let text = "";
  socket.on("data", (chunk: Buffer) => {
    text += chunk.toString("latin1");
  });
  // A reset or a refused connection ends it too; the error itself is not what tests look at (and
  // events.once would reject on it).
  socket.on("error", () => undefined);
  const closed = new Promise<string>((resolve) => socket.once("close", () => resolve(text)));
  const connected = new Promise((resolve) => socket.once("connect", resolve));
  await Promise.race([connected, closed]);
  return { socket, received: () => text, closed };
}

/** The number of complete HTTP responses in `text` (status lines). */
export function responses(text: string): number {
  return text.match(/HTTP\/1\.1 \d{3} /g)?.length ?? 0;
}
