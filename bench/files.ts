// A 5 MiB file through the built server, by hand: `npm run build && node --import tsx bench/files.ts`.
// For each store (SQLite; Redis when redis-server is installed) and each way of sealing (the server
// seals a file sent as base64 in API v2's JSON; the client seals it, zero-knowledge, and sends the
// blob), one client shares and reveals the same file ROUNDS times, one request at a time: the time of
// each share and reveal (median), the server's resident memory before and at its peak over the
// rounds (VmHWM, reset first), and on Redis the used_memory each live file secret takes.
// Not a test: nothing is asserted but that the bytes come back.

import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createClient } from "redis";
import { encodeEnvelope } from "../src/crypto/envelope.js";
import * as zk from "../src/crypto/zk.js";
import { type RedisServer, startRedis } from "../test/support/redis-server.js";
import { currentRss, peakRss, processTree, resetPeakRss } from "./proc.js";
import { type BenchServer, startOnetime } from "./servers.js";

const SIZE = 5 * 1024 * 1024;
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const LIVE = 10;
const MiB = 2 ** 20;
const bytes = randomBytes(SIZE);
const b64 = bytes.toString("base64");

async function v2(server: BenchServer, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.base}/api/v2${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json.record as Record<string, unknown>;
}

/** One share and its reveal; returns their times in ms. */
async function round(server: BenchServer, mode: "server" | "client"): Promise<[number, number]> {
  let t = performance.now();
  let key: unknown;
  let proof = "";
  if (mode === "server") {
    const made = await v2(server, "/secret/conceal", { secret: { file: { name: "big.bin", content: b64 } } });
    key = (made.secret as Record<string, unknown>).key;
  } else {
    const k = zk.newKey();
    const envelope = encodeEnvelope({ text: "", file: { name: "big.bin", type: "", bytes } });
    const sealed = await zk.sealBytes(envelope, k, { file: true });
    proof = zk.toBase64Url(sealed.proof);
    t = performance.now(); // the client's own sealing is not the server's time
    const made = await v2(server, "/secret/conceal", {
      secret: { ciphertext: Buffer.from(sealed.blob).toString("base64url"), proof, has_file: true },
    });
    key = (made.secret as Record<string, unknown>).key;
  }
  const shared = performance.now() - t;
  t = performance.now();
  const got = await v2(server, `/secret/${key}/reveal`, mode === "server" ? {} : { proof });
  const revealed = performance.now() - t;
  if (mode === "server") {
    if (!Buffer.from((got.file as { content: string }).content, "base64").equals(bytes))
      throw new Error("bytes");
  } else if (
    Buffer.from(got.ciphertext as string, "base64url").length !==
    SIZE + 29 + 1 + 4 + 2 + 7 + 1 + 24
  ) {
    throw new Error("blob size");
  }
  return [shared, revealed];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function measure(store: string, env: Record<string, string>, redis: RedisServer | null) {
  for (const mode of ["server", "client"] as const) {
    const server = await startOnetime({ secret: "bench-files-root-secret-0123456789abcdef", env });
    try {
      const pids = processTree(server.pid);
      await round(server, mode); // warm up: JIT, page cache, connections
      const idle = currentRss(pids) / MiB;
      resetPeakRss(pids);
      const shares: number[] = [];
      const reveals: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const [s, r] = await round(server, mode);
        shares.push(s);
        reveals.push(r);
      }
      const peak = peakRss(pids) / MiB;
      let perFile = "";
      if (redis !== null)
        perFile = ` | ${(await liveCost(server, redis, mode)).toFixed(0)} B used_memory per live file`;
      console.log(
        `| ${store} | ${mode} | ${median(shares).toFixed(0)} ms | ${median(reveals).toFixed(0)} ms | ${idle.toFixed(0)} MiB | ${peak.toFixed(0)} MiB${perFile} |`,
      );
    } finally {
      await server.stop();
    }
  }
}

/** Redis used_memory taken by each of LIVE unread file secrets (their ciphertext, receipt, index). */
async function liveCost(server: BenchServer, redis: RedisServer, mode: "server" | "client"): Promise<number> {
  const client = createClient({ url: redis.url });
  await client.connect();
  const used = async () => Number(/used_memory:(\d+)/.exec(await client.info("memory"))?.[1]);
  const before = await used();
  for (let i = 0; i < LIVE; i++) {
    if (mode === "server")
      await v2(server, "/secret/conceal", { secret: { file: { name: "big.bin", content: b64 } } });
    else {
      const envelope = encodeEnvelope({ text: "", file: { name: "big.bin", type: "", bytes } });
      const sealed = await zk.sealBytes(envelope, zk.newKey(), { file: true });
      await v2(server, "/secret/conceal", {
        secret: {
          ciphertext: Buffer.from(sealed.blob).toString("base64url"),
          proof: zk.toBase64Url(sealed.proof),
          has_file: true,
        },
      });
    }
  }
  const cost = ((await used()) - before) / LIVE;
  await client.flushAll();
  await client.quit();
  return cost;
}

console.log(`a ${SIZE}-byte file, ${ROUNDS} rounds of share then reveal, one at a time\n`);
console.log("| store | sealed by | share (median) | reveal (median) | RSS idle | RSS peak |");
await measure("sqlite", {}, null);
try {
  execFileSync("sh", ["-c", "command -v redis-server"], { stdio: "ignore" });
} catch {
  process.exit(0);
}
const redis = await startRedis();
try {
  await measure("redis", { REDIS_URL: redis.url }, redis);
} finally {
  redis.kill();
}
