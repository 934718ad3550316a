import type { ExtrasContext } from "./extras.js";
import type { Scenario } from "./load.js";
import { runLoad } from "./load.js";
import { scenarios } from "./measure.js";
import { currentRss, peakRss, processTree } from "./proc.js";
import { startOnetime } from "./servers.js";

// --long: create-then-reveal cycles at 64 connections until `total` requests have been served,
// in one-minute slices, reading the server's RSS after each slice and its peak (VmHWM, never reset:
// the peak over the whole life of the process, start-up included).

export async function longRun({ secret, serverDir, stores }: ExtrasContext, total: number) {
  const out: Record<string, unknown> = {};
  for (const [store, env] of Object.entries(stores)) {
    const server = await startOnetime({ secret, serverDir, env });
    try {
      const slices: { requests: number; rps: number; p99Ms: number; rssMiB: number }[] = [];
      let served = 0;
      const cycle = scenarios("", "").cycle as Scenario;
      while (served < total) {
        const r = await runLoad(cycle, { base: server.base, connections: 64, seconds: 60 });
        served += r.requests;
        const rssMiB = currentRss(processTree(server.pid)) / 2 ** 20;
        slices.push({ requests: served, rps: r.rps, p99Ms: r.p99Ms, rssMiB });
        console.error(
          `  long ${store}: ${served} requests, ${r.rps.toFixed(0)} req/s, RSS ${rssMiB.toFixed(0)} MiB`,
        );
      }
      out[store] = { requests: served, peakRssMiB: peakRss(processTree(server.pid)) / 2 ** 20, slices };
    } finally {
      await server.stop();
    }
  }
  return out;
}
