import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type CpuProfile, shortUrl, stageOfNodes } from "./stages.js";

// Summarises V8 CPU profiles (node --cpu-prof) by self time: per function and per package, so a
// profile can be read in a terminal and compared before and after a change.
// With --stages, the functions that weigh most in each stage of bench/stages.ts instead.
// Usage: node --import tsx bench/profile.ts [--stages] <dir-or-file.cpuprofile> [top]

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export function summarise(profile: Profile, top = 25): string {
  const total = profile.samples.length;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, "").replace(/^.*node_modules\//, "");
    const name = `${functionName || "(anonymous)"} ${file ? `${file}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    byPackage.set(packageOf(url, functionName), (byPackage.get(packageOf(url, functionName)) ?? 0) + hits);
  }
  const lines = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, hits]) => `${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
  return [
    `${total} samples`,
    "by package:",
    ...lines(byPackage, 15),
    "by function:",
    ...lines(byFunction, top),
  ].join("\n");
}

function packageOf(url: string, functionName: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg !== undefined) return pkg;
  if (url.startsWith("node:")) return url.split("/")[0] ?? url;
  if (url.includes("/dist/")) return `onetime ${url.replace(/^.*\/dist\//, "").replace(/\/[^/]*$/, "")}`;
  if (url === "") return functionName.startsWith("(") ? functionName : "(native)";
  return "(other)";
}

/** Per stage (bench/stages.ts), its share of the busy samples and its heaviest functions by self time. */
export function summariseStages(profile: Profile, top = 8): string {
  const stages = stageOfNodes(profile as unknown as CpuProfile);
  const hits = new Map<number, number>();
  for (const id of profile.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  const byStage = new Map<string, Map<string, number>>();
  let busy = 0;
  for (const node of profile.nodes) {
    const stage = stages.get(node.id);
    const n = hits.get(node.id) ?? 0;
    if (stage === undefined || n === 0) continue;
    busy += n;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ""}`.trim();
    const fns = byStage.get(stage) ?? new Map<string, number>();
    fns.set(name, (fns.get(name) ?? 0) + n);
    byStage.set(stage, fns);
  }
  const pct = (n: number) => `${((100 * n) / busy).toFixed(1).padStart(5)}%`;
  const out = [`${busy} busy samples (the whole profile, start-up included)`];
  for (const [stage, fns] of [...byStage].sort((a, b) => sum(b[1]) - sum(a[1]))) {
    out.push(`${pct(sum(fns))}  ${stage}`);
    for (const [name, n] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, top))
      out.push(`        ${pct(n)}  ${name}`);
  }
  return out.join("\n");
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const n of map.values()) total += n;
  return total;
}

if (process.argv[1]?.endsWith("profile.ts")) {
  const byStage = process.argv[2] === "--stages";
  const args = process.argv.slice(byStage ? 3 : 2);
  const target = args[0] ?? ".";
  const files = target.endsWith(".cpuprofile")
    ? [target]
    : readdirSync(target)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(target, f));
  for (const file of files) {
    console.log(`== ${file}`);
    const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
    console.log(
      byStage ? summariseStages(profile, Number(args[1] ?? 8)) : summarise(profile, Number(args[1] ?? 25)),
    );
  }
}
