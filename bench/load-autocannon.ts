import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import type { LoadOptions, LoadResult, Scenario } from "./load.js";

// The fallback load generator: the same four scenario modes as bench/wrk/load.lua, in process.

const HEADERS = { "content-type": "application/x-www-form-urlencoded" };

interface Request {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
type Context = Record<string, unknown>;

export async function runAutocannon(
  scenario: Scenario,
  { base, connections, seconds }: LoadOptions,
): Promise<LoadResult> {
  const keys = scenario.keysFile === undefined ? [] : readFileSync(scenario.keysFile, "utf8").split("\n");
  if (keys.at(-1) === "") keys.pop();
  let next = 0;
  let exhausted = 0;
  let revealed = 0;
  const plain = { method: scenario.method, path: scenario.path, headers: HEADERS, body: scenario.body };
  const requests =
    scenario.mode === "cycle"
      ? [
          {
            ...plain,
            onResponse: (_status: number, body: string, context: Context) => {
              context.key = /"secret_key":"(\w+)"/.exec(body)?.[1];
            },
          },
          {
            method: "POST",
            headers: HEADERS,
            setupRequest: (req: Request, context: Context) => ({
              ...req,
              path: `/api/v1/secret/${String(context.key)}`,
            }),
            onResponse: (_status: number, body: string) => {
              if (body.includes('"value":')) revealed++;
            },
          },
        ]
      : [
          {
            ...plain,
            setupRequest: (req: Request) => {
              if (scenario.mode === "fixed") return req;
              if (next >= keys.length) {
                if (scenario.mode === "keys") exhausted++;
                next = 0;
              }
              return { ...req, path: `${scenario.path}${keys[next++]}${scenario.suffix ?? ""}` };
            },
          },
        ];
  const result = await autocannon({ url: base, connections, duration: seconds, timeout: 10, requests });
  const secs = result.duration;
  return {
    tool: "autocannon",
    requests: result.requests.total,
    seconds: secs,
    rps: result.requests.total / secs,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    errors: result.non2xx + result.errors + result.timeouts,
    revealed,
    exhausted,
  };
}
