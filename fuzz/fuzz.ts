// One fuzzing run: start the target, send seeded random requests from several connections at once
// until the count or the time is reached, and check every answer: no 5xx, every security header on,
// and, over the whole run, no log line with a query string and none at error level.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { printable, requestArb } from "./requests.js";
import { startTarget } from "./server.js";
import type { FuzzRequest } from "./target.js";
import { exchange, type WireResponse } from "./wire.js";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface FuzzOptions {
  seed: number;
  requests: number;
  durationMs: number;
  concurrency: number;
  /** The checkout whose src/main.ts is started (this one by default). */
  root?: string;
}

export interface Failure {
  index: number;
  problem: string;
  request: string;
}

export interface FuzzResult {
  seed: number;
  sent: number;
  elapsedMs: number;
  /** "200", "404"…, "closed" (no complete answer), "timeout". */
  byStatus: Record<string, number>;
  failures: Failure[];
  /** Counts by problem, every failure included (only the first few are kept in `failures`). */
  problems: Record<string, number>;
  logLines: number;
  logLeaks: string[];
  logErrors: string[];
  serverExit: string | null;
}

const SECURITY_HEADERS: [string, RegExp][] = [
  ["x-content-type-options", /^nosniff$/],
  ["x-frame-options", /^DENY$/],
  ["referrer-policy", /^no-referrer$/],
  ["content-security-policy", /default-src 'none'/],
  ["cache-control", /./],
];
const BATCH = 250;
const KEPT_PER_PROBLEM = 5;
const EXCHANGE_TIMEOUT_MS = 5000;

/** What is wrong with one answer, or null. */
export function check(res: WireResponse): string | null {
  if (res.status < 200) return null; // 100 Continue comes before the answer
  if (res.status >= 500) return `status ${res.status}`;
  const missing = SECURITY_HEADERS.filter(([name, value]) => !value.test(res.headers.get(name) ?? ""));
  return missing.length === 0 ? null : `status ${res.status} without ${missing.map(([n]) => n).join(", ")}`;
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const mark = `fzq${randomBytes(6).toString("hex")}`;
  const { server, target } = await startTarget(options.root ?? ROOT, mark);
  const arb = requestArb(target);
  const result: FuzzResult = {
    seed: options.seed,
    sent: 0,
    elapsedMs: 0,
    byStatus: {},
    failures: [],
    problems: {},
    logLines: 0,
    logLeaks: [],
    logErrors: [],
    serverExit: null,
  };
  const count = (key: string) => {
    result.byStatus[key] = (result.byStatus[key] ?? 0) + 1;
  };
  const fail = (index: number, problem: string, req: FuzzRequest) => {
    const kind = problem.replace(/^status (\d)\d\d/, "status $1xx");
    result.problems[kind] = (result.problems[kind] ?? 0) + 1;
    // A few of each kind, so that a flood of one kind does not hide another.
    if ((result.problems[kind] ?? 0) <= KEPT_PER_PROBLEM) {
      result.failures.push({ index, problem, request: printable(req.bytes) });
    }
  };

  // Requests are drawn in batches, each from its own seed derived from the run's: the same seed
  // always gives the same requests, without holding 20,000 of them in memory.
  const batches = new Map<number, FuzzRequest[]>();
  const requestAt = (i: number): FuzzRequest => {
    const batch = Math.floor(i / BATCH);
    let drawn = batches.get(batch);
    if (drawn === undefined) {
      drawn = fc.sample(arb, { seed: (options.seed + batch * 7919) | 0, numRuns: BATCH });
      batches.clear();
      batches.set(batch, drawn);
    }
    return drawn[i % BATCH] as FuzzRequest;
  };

  const started = Date.now();
  const deadline = started + options.durationMs;
  let next = 0;
  const worker = async () => {
    while (next < options.requests && Date.now() < deadline && server.exited() === null) {
      const index = next++;
      const req = requestAt(index);
      const got = await exchange(server.port, req.bytes, { ...req, timeoutMs: EXCHANGE_TIMEOUT_MS });
      result.sent++;
      if (got.timedOut && got.responses.length === 0) count("timeout");
      else if (got.responses.length === 0) count("closed");
      for (const res of got.responses) {
        if (res.status >= 200) count(String(res.status));
        const problem = check(res);
        if (problem !== null) fail(index, problem, req);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    result.elapsedMs = Date.now() - started;
    // One plain request after all the others: the process still answers, and its log caught up.
    const last = await fetch(`${server.base}/healthz`).catch(() => null);
    if (last?.status !== 200) result.serverExit = server.exited() ?? "no longer answers";
  } finally {
    result.serverExit ??= server.exited();
    await server.stop();
  }
  result.logLines = server.log.lines;
  result.logLeaks = server.log.leaks;
  result.logErrors = server.log.errors;
  return result;
}

/** Whether the run found nothing wrong. */
export function passed(r: FuzzResult): boolean {
  return (
    r.failures.length === 0 && r.logLeaks.length === 0 && r.logErrors.length === 0 && r.serverExit === null
  );
}

/** The run as a few lines of text: figures, then what failed and how to reproduce it. */
export function report(r: FuzzResult): string {
  const statuses = Object.entries(r.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ");
  const lines = [
    `seed ${r.seed}: ${r.sent} requests in ${(r.elapsedMs / 1000).toFixed(1)} s (${Math.round((r.sent * 1000) / Math.max(r.elapsedMs, 1))}/s)`,
    `answers by status: ${statuses}`,
    `problems: ${Object.keys(r.problems).length === 0 ? "none" : JSON.stringify(r.problems)}`,
    `server log: ${r.logLines} lines, ${r.logLeaks.length} with a query string, ${r.logErrors.length} at error level`,
  ];
  if (r.serverExit !== null) lines.push(`the server ${r.serverExit}`);
  for (const f of r.failures) lines.push(`#${f.index} ${f.problem}\n  request: ${f.request}`);
  for (const line of r.logLeaks) lines.push(`log line with a query string: ${line}`);
  for (const line of r.logErrors) lines.push(`error log line: ${line}`);
  if (!passed(r)) lines.push(`reproduce: npm run fuzz -- --seed ${r.seed}`);
  return lines.join("\n");
}
