import type { Row } from "./measure.js";

// The printed table: one line per target, scenario and connection count.

const COLUMNS = [
  ["target", 13],
  ["scenario", 9],
  ["conns", 5],
  ["req/s", 8],
  ["p50 ms", 7],
  ["p99 ms", 7],
  ["× raw", 6],
  ["CPU µs/req", 10],
  ["peak RSS MiB", 12],
  ["errors", 6],
] as const;

export function formatTable(rows: Row[]): string {
  const head = COLUMNS.map(([name, width]) => name.padStart(width)).join(" | ");
  const lines = rows.map((r) =>
    [
      r.target,
      r.scenario,
      String(r.connections),
      r.rps.toFixed(0),
      r.p50Ms.toFixed(2),
      r.p99Ms.toFixed(2),
      r.ratio === undefined ? "" : r.ratio.toFixed(2),
      r.cpuUsPerRequest.toFixed(0),
      r.peakRssMiB.toFixed(0),
      String(r.errors + r.exhausted),
    ]
      .map((cell, i) => cell.padStart(COLUMNS[i]?.[1] ?? 0))
      .join(" | "),
  );
  return [`| ${head} |`, `|${COLUMNS.map(([, w]) => `${"-".repeat(w + 1)}:`).join("|")}|`]
    .concat(lines.map((l) => `| ${l} |`))
    .join("\n");
}
