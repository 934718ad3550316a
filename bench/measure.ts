import { newKey, seal, toBase64Url } from "../src/crypto/zk.js";
import { type LoadResult, runLoad, type Scenario } from "./load.js";
import { cpuMicros, peakRss, processTree, resetPeakRss } from "./proc.js";
import type { BenchServer } from "./servers.js";

// One measured run: load on a server while its CPU time and peak RSS are read from /proc.

export interface Row extends LoadResult {
  target: string;
  scenario: string;
  connections: number;
  /** Server CPU (user + system, every process of it) per request, in µs. */
  cpuUsPerRequest: number;
  /** Peak RSS of the server during this run, in MiB (all its processes). */
  peakRssMiB: number;
  /** req/s divided by the raw node:http ceiling at the same connection count. */
  ratio?: number;
  /** Requests refused by a rate limit during the row (rate-limited rows only): must be 0. */
  refused?: number;
}

/** A 48-character secret with a TTL, as a form body: what every share in the bench sends. */
export const SHARE_BODY = `secret=${"correct-horse-battery-staple-".repeat(2).slice(0, 48)}&ttl=3600`;

/** The same share for API v2: its parameters nested under `secret`, as a form. */
export const V2_SHARE_BODY = SHARE_BODY.replace("secret=", "secret[secret]=").replace(
  "&ttl=",
  "&secret[ttl]=",
);

/**
 * A client-encrypted secret of the same 48 characters, sealed once here (src/crypto/zk.ts): every
 * zk-share sends it (the server makes a new key for each), every seeded zk-reveal secret stores it,
 * and zk-reveal presents its proof. The client's own cost (HKDF and AES-GCM in the sender's browser)
 * is not the server's and is not in these figures.
 */
export const ZK_SECRET = await seal(SHARE_BODY.slice("secret=".length, "secret=".length + 48), newKey());
export const ZK_SHARE_BODY = `secret[ciphertext]=${toBase64Url(ZK_SECRET.blob)}&secret[proof]=${toBase64Url(ZK_SECRET.proof)}&secret[ttl]=3600`;

/**
 * A share carrying a 1 KiB file (a key file's size) beside the same text, through API v2's files
 * extension: the file's base64, percent-encoded in the form as any client would send it.
 */
const FILE_BYTES = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 37 + 11) % 256));
export const V2_FILE_SHARE_BODY = `${V2_SHARE_BODY}&secret[file][name]=id_ed25519&secret[file][content]=${encodeURIComponent(FILE_BYTES.toString("base64"))}`;

export function scenarios(keysFile: string, metadataFile: string): Record<string, Scenario> {
  return {
    share: { mode: "fixed", method: "POST", path: "/api/v1/share", body: SHARE_BODY },
    reveal: { mode: "keys", method: "POST", path: "/api/v1/secret/", keysFile },
    cycle: { mode: "cycle", method: "POST", path: "/api/v1/share", body: SHARE_BODY },
    metadata: { mode: "loop", method: "POST", path: "/api/v1/private/", keysFile: metadataFile },
    status: { mode: "fixed", method: "GET", path: "/api/v1/status" },
    "v2-share": { mode: "fixed", method: "POST", path: "/api/v2/secret/conceal", body: V2_SHARE_BODY },
    "v2-reveal": { mode: "keys", method: "POST", path: "/api/v2/secret/", suffix: "/reveal", keysFile },
    "v2-file-share": {
      mode: "fixed",
      method: "POST",
      path: "/api/v2/secret/conceal",
      body: V2_FILE_SHARE_BODY,
    },
    "zk-share": { mode: "fixed", method: "POST", path: "/api/v2/secret/conceal", body: ZK_SHARE_BODY },
    "zk-reveal": {
      mode: "keys",
      method: "POST",
      path: "/api/v2/secret/",
      suffix: "/reveal",
      body: `proof=${toBase64Url(ZK_SECRET.proof)}`,
      keysFile,
    },
  };
}

export async function measure(
  server: BenchServer,
  target: string,
  name: string,
  scenario: Scenario,
  connections: number,
  seconds: number,
): Promise<Row> {
  const pids = processTree(server.pid);
  resetPeakRss(pids);
  const cpuBefore = cpuMicros(pids);
  const result = await runLoad(scenario, { base: server.base, connections, seconds });
  const cpu = cpuMicros(pids) - cpuBefore;
  return {
    ...result,
    target,
    scenario: name,
    connections,
    cpuUsPerRequest: result.requests === 0 ? 0 : cpu / result.requests,
    peakRssMiB: peakRss(pids) / 2 ** 20,
  };
}
