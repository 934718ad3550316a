import assert from "node:assert/strict";
import { test } from "node:test";
import { type CpuProfile, stageMicros, stageSamples } from "../bench/stages.js";

// The stage of a profile sample (bench/stages.ts), on a profile shaped as V8 writes them: owners take
// what they call, otherwise the frame nearest the leaf decides, and only the window's samples count.

const f = (functionName: string, url: string) => ({ functionName, url });
const D = "file:///srv/onetime/dist";
const M = "file:///srv/onetime/node_modules";
// id: [frame, children]
const TREE: Record<number, [{ functionName: string; url: string }, number[]]> = {
  1: [f("(root)", ""), [2, 20, 21, 30]],
  2: [f("parserOnIncoming", "node:_http_server"), [3, 12]],
  3: [f("routeHandler", `${M}/fastify/lib/route.js`), [4, 6, 9, 14]],
  4: [f("limit", `${D}/actions/rate-limit.js`), [5]],
  5: [f("Hmac", "node:internal/crypto/hash"), []],
  6: [f("storeSecret", `${D}/actions/create.js`), [7, 11]],
  7: [f("counted", `${D}/metrics.js`), [8]],
  8: [f("run", `${M}/better-sqlite3/lib/methods/wrappers.js`), []],
  9: [f("requestCompleted", `${D}/server/request-log.js`), [10]],
  10: [f("writeBuffer", ""), []],
  11: [f("emit", "node:events"), []],
  12: [f("emit", "node:events"), [13]],
  13: [f("anonymous", ""), []],
  14: [f("serialize", `${M}/fastify/lib/reply.js`), [15]],
  15: [f("anonymous", ""), []],
  20: [f("(garbage collector)", ""), []],
  21: [f("(idle)", ""), []],
  30: [f("checkAuthFailures", `${D}/actions/rate-limit.js`), [31]],
  31: [f("peek", `${D}/store/sqlite/counters.js`), []],
};

function profile(samples: number[]): CpuProfile {
  return {
    nodes: Object.entries(TREE).map(([id, [callFrame, children]]) => ({
      id: Number(id),
      callFrame,
      children,
    })),
    startTime: 1000,
    samples,
    timeDeltas: samples.map(() => 100),
  };
}

test("stages: owners take their callees, places go by the frame nearest the leaf, idle is left out", () => {
  const all = [5, 8, 10, 11, 13, 15, 20, 21, 21, 31, 7];
  const { samples, busy, idle } = stageSamples(profile(all));
  assert.equal(idle, 2);
  assert.equal(busy, all.length - 2);
  assert.deepEqual(Object.fromEntries([...samples].sort()), {
    "actions and domain": 1, // an unnamed frame (node:events) under storeSecret
    "HTTP and routing": 1, // an unnamed frame under node:events under the HTTP server
    "rate limit": 1, // the HMAC of the client's pseudonym, under limit()
    GC: 1,
    auth: 1, // the counter read of checkAuthFailures: an auth owner, before store
    logging: 1, // pino's write to stdout, under the request log
    metrics: 1, // the wrapper's own time
    serialization: 1, // a compiled serializer under fastify's serialize
    store: 1, // a statement run through the metrics wrapper
  });
});

test("stages: only the window's samples count; µs split the main thread's CPU by share", () => {
  // Samples at 1100, 1200, … 1500.
  const counted = stageSamples(profile([5, 5, 8, 8, 21]), 1250, 1500);
  assert.equal(counted.busy, 2);
  assert.equal(counted.idle, 1);
  assert.deepEqual([...counted.samples], [["store", 2]]);
  const micros = stageMicros(stageSamples(profile([5, 8, 8, 8])), 100);
  assert.equal(micros.get("rate limit"), 25);
  assert.equal(micros.get("store"), 75);
  assert.equal(
    [...micros.values()].reduce((a, b) => a + b, 0),
    100,
  );
});
