import { createHash } from "node:crypto";
import { createClient, createCluster, RESP_TYPES } from "redis";
import { AppError } from "../../domain/errors.js";

// One connection (a client, or a Cluster client) shared by the adapters of every kind, with what
// they all need: Lua scripts run by SHA, and errors turned into AppError("store_unavailable").

export interface RedisOptions {
  /** `redis://` or `rediss://` URL, with password and database when needed. */
  url?: string;
  /** Cluster seed nodes as `host:port`; when set, `url` only lends its credentials and TLS. */
  clusterNodes?: string[];
  /** Prefix of every key, so several deployments can share one Redis. */
  prefix?: string;
  onError?: (err: Error) => void;
}

type Socket = {
  reconnectStrategy: (retries: number, cause: Error) => number | Error;
  connectTimeout: number;
};
type ScriptArg = string | Buffer | number;

/** Replies as Buffers: ciphertexts and sealed keys are bytes, and text is decoded where it is read. */
const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer } as const;

function createBase(url: string, clusterNodes: string[], socket: Socket) {
  return clusterNodes.length > 0
    ? openCluster(url, clusterNodes, socket)
    : createClient({ url, socket, disableOfflineQueue: true });
}

const withBuffers = (base: ReturnType<typeof createBase>) => base.withTypeMapping(BUFFERS);

export type RedisClient = ReturnType<typeof withBuffers>;
export type Reply = Buffer | null;
type NodeClient = ReturnType<typeof createClient>;

export interface RedisConnection {
  client: RedisClient;
  /** True on a Cluster, where one command or script reaches the keys of one slot only. */
  cluster: boolean;
  /** Runs a Lua script by its SHA, sending its text once when the server does not know it. */
  run(script: string, keys: string[], args: ScriptArg[]): Promise<unknown>;
  /** Runs `fn`; any failure, or a call after close, becomes AppError("store_unavailable"). */
  guard<T>(fn: () => Promise<T>): Promise<T>;
  /** One client per master, for SCAN (a Cluster scans each master on its own). */
  masters(): Promise<NodeClient[]>;
  close(): Promise<void>;
}

export async function connectRedis({
  url = "redis://127.0.0.1:6379",
  clusterNodes = [],
  onError = () => {},
}: RedisOptions): Promise<RedisConnection> {
  // Commands fail at once while the connection is down (no offline queue), so a request answers
  // "unavailable" instead of hanging; the client reconnects by itself with a capped backoff. Before
  // the first connection, a few failed tries (unreachable host, wrong password) end start-up with
  // the error instead of waiting for ever.
  let connected = false;
  const socket: Socket = {
    reconnectStrategy: (retries: number, cause: Error) =>
      !connected && retries >= 3 ? cause : Math.min(100 * 2 ** retries, 2000),
    connectTimeout: 5000,
  };
  const base = createBase(url, clusterNodes, socket);
  base.on("error", (err: Error) => onError(err));
  await base.connect();
  connected = true;
  const client = withBuffers(base);
  let closed = false;

  const shas = new Map<string, string>();
  async function run(script: string, keys: string[], args: ScriptArg[]): Promise<unknown> {
    let sha = shas.get(script);
    if (sha === undefined) {
      sha = createHash("sha1").update(script).digest("hex");
      shas.set(script, sha);
    }
    const options = { keys, arguments: args.map((a) => (typeof a === "number" ? String(a) : a)) };
    try {
      return await client.evalSha(sha, options);
    } catch (err) {
      if (!String((err as Error).message).startsWith("NOSCRIPT")) throw err;
      return client.eval(script, options);
    }
  }

  return {
    client,
    cluster: clusterNodes.length > 0,
    run,
    async guard(fn) {
      if (closed) throw new AppError("store_unavailable", {}, { cause: new Error("store closed") });
      try {
        return await fn();
      } catch (err) {
        throw new AppError("store_unavailable", {}, { cause: err });
      }
    },
    async masters() {
      if (clusterNodes.length === 0) return [base as NodeClient];
      const cluster = base as ReturnType<typeof createCluster>;
      return (await Promise.all(
        cluster.masters.map((m) => cluster.nodeClient(m)),
      )) as unknown as NodeClient[];
    },
    async close() {
      if (closed) return;
      closed = true;
      await base.close().catch(() => base.destroy());
    },
  };
}

// Cluster node clients are built from `defaults` plus each node's host and port. A `url` in the
// defaults would override that host and port (node-redis parses it last), sending every command to
// the first node and failing with MOVED; so the URL only lends its credentials and TLS.
function openCluster(url: string, nodes: string[], socket: Socket) {
  const u = new URL(url);
  const tls = u.protocol === "rediss:";
  return createCluster({
    rootNodes: nodes.map((n) => ({ url: `${u.protocol}//${n}` })),
    defaults: {
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      socket: tls ? { ...socket, tls: true as const } : { ...socket, tls: false as const },
      disableOfflineQueue: true,
    },
  });
}
