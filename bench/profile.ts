import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// Summarises V8 CPU profiles (node --cpu-prof) by self time: per function and per package, so a
// profile can be read in a terminal and compared before and after a change.
// Usage: node --import tsx bench/profile.ts <dir-or-file.cpuprofile> [top]

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

if (process.argv[1]?.endsWith("profile.ts")) {
  const target = process.argv[2] ?? ".";
  const files = target.endsWith(".cpuprofile")
    ? [target]
    : readdirSync(target)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(target, f));
  for (const file of files) {
    console.log(`== ${file}`);
    console.log(summarise(JSON.parse(readFileSync(file, "utf8")) as Profile, Number(process.argv[3] ?? 25)));
  }
}
