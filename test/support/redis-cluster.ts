// A real 3-master Redis Cluster for tests: three redis-server processes in cluster mode on free
// ports (never 6379), joined with `redis-cli --cluster create`, resolved once every node reports
// cluster_state:ok. Nothing is written outside one temporary directory.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./ports.js";
import { type RedisServer, startRedis } from "./redis-server.js";
import { tempDir } from "./temp.js";
import { waitFor } from "./wait.js";

const run = promisify(execFile);

export interface RedisCluster {
  ports: number[];
  /** `host:port` of every master, as REDIS_CLUSTER_NODES takes them. */
  nodes: string[];
  /** URL of the first node. */
  url: string;
  dir: string;
  kill(): void;
}

export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const { path: dir, remove } = tempDir("onetime-redis-cluster-");
  const servers: RedisServer[] = [];
  const ports: number[] = [];
  const kill = () => {
    for (const server of servers) server.kill();
    remove();
  };
  try {
    for (let i = 0; i < masters; i++) {
      let port = await freePort();
      while (ports.includes(port)) port = await freePort();
      ports.push(port);
      const clusterArgs = ["--cluster-enabled", "yes", "--cluster-node-timeout", "2000"];
      const configFile = ["--cluster-config-file", join(dir, `nodes-${port}.conf`)];
      servers.push(await startRedis([...clusterArgs, ...configFile], { port, dir }));
    }
    const nodes = ports.map((p) => `127.0.0.1:${p}`);
    await run("redis-cli", ["--cluster", "create", ...nodes, "--cluster-replicas", "0", "--cluster-yes"], {
      timeout: 30_000,
    });
    await waitForClusterOk(ports);
    return { ports, nodes, url: `redis://${nodes[0]}`, dir, kill };
  } catch (err) {
    kill();
    throw err;
  }
}

/** Nodes report the cluster's state only when asked: ask each until all say ok. */
async function waitForClusterOk(ports: number[]): Promise<void> {
  let last = "";
  await waitFor(
    async () => {
      const states = await Promise.all(
        ports.map(async (p) => {
          const { stdout } = await run("redis-cli", ["-p", String(p), "cluster", "info"], { timeout: 5000 });
          return stdout;
        }),
      );
      last = states.join("\n");
      return states.every((s) => s.includes("cluster_state:ok"));
    },
    {
      what: () => `cluster_state:ok on every node; last answers:\n${last}`,
      timeoutMs: 30_000,
      intervalMs: 100,
    },
  );
}
