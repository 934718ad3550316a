import { randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { passed, report, runFuzz } from "./fuzz.js";

// `npm run fuzz`: random and malformed requests against a real server process (SQLite, a temporary
// data directory). Exits 1 on any 5xx, any answer without the security headers, a log line with a
// query string or at error level, or a server that stopped answering. docs/security.md#fuzzing.

const USAGE = `usage: npm run fuzz -- [options]

  --seed N          the run's seed (random by default; printed either way)
  --requests N      how many requests (20000)
  --duration S      stop sending after S seconds, whatever the count (60)
  --concurrency N   connections at once (16)
  --root DIR        start DIR/src/main.ts instead of this checkout's (to measure another version)`;

const { values } = parseArgs({
  options: {
    seed: { type: "string" },
    requests: { type: "string", default: "20000" },
    duration: { type: "string", default: "60" },
    concurrency: { type: "string", default: "16" },
    root: { type: "string" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const seed = values.seed === undefined ? randomInt(2 ** 31) : Number(values.seed);
console.log(`fuzz: seed ${seed}`);
const result = await runFuzz({
  seed,
  requests: Number(values.requests),
  durationMs: Number(values.duration) * 1000,
  concurrency: Number(values.concurrency),
  ...(values.root === undefined ? {} : { root: values.root }),
});
console.log(report(result));
process.exit(passed(result) ? 0 : 1);
