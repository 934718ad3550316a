// Where a request's CPU goes, by stage: the samples of a V8 CPU profile (node --cpu-prof) taken
// during one measured row, each given to a stage by the functions on its stack, then scaled to the
// main thread's CPU time per request read from /proc over the same window.
//
// A sample's stage comes from STAGE_RULES, in two passes:
//   1. owners: the first rule (in table order) with a frame anywhere on the stack claims the sample
//      and everything below it. The rate limit's HMAC and counter write are the rate limit's cost,
//      pino's write to stdout is logging's.
//   2. otherwise the frame nearest the leaf that any place rule matches decides, so that a store call
//      made through the metrics wrapper counts as store, and a node:internal/crypto frame as crypto
//      wherever it was called from. Frames no rule names (node:events, microtasks, compiled
//      validators and serializers without a file) pass the sample up to their callers.
// V8's own "(garbage collector)" and "(program)" samples have no stack; a sample no rule matches is
// "other". A write queued into SQLite's group commit is paid when the batch commits, outside its
// caller's stack: under "store", whoever queued it.

export type Stage =
  | "HTTP and routing"
  | "body parsing"
  | "auth"
  | "rate limit"
  | "key derivation and AEAD"
  | "store"
  | "serialization"
  | "logging"
  | "metrics"
  | "actions and domain"
  | "GC"
  | "V8 and native, unattributed"
  | "other";

export interface StageRule {
  stage: Stage;
  /** owner: claims the sample when it is anywhere on the stack; place: the frame nearest the leaf. */
  kind: "owner" | "place";
  /** Matched against the frame's URL with `file://` and everything up to `node_modules/` or `dist/` cut. */
  url: RegExp;
  /** When given, the function name must match too. */
  fn?: RegExp;
}

const DIST = "dist/";
const MODULES = "node_modules/";

/** The mapping, in priority order within each kind. docs/benchmarks.md prints it as a table. */
export const STAGE_RULES: readonly StageRule[] = [
  { stage: "logging", kind: "owner", url: /^(pino|sonic-boom|pino-std-serializers|@pinojs)\// },
  { stage: "logging", kind: "owner", url: /^dist\/(server\/request-log|http\/redact)\.js$/ },
  { stage: "metrics", kind: "owner", url: /^prom-client\// },
  { stage: "auth", kind: "owner", url: /^dist\/actions\/rate-limit\.js$/, fn: /AuthFailure/ },
  {
    stage: "auth",
    kind: "owner",
    url: /^dist\/(actions\/(authenticate|session|session-account)|crypto\/credentials)\.js$/,
  },
  { stage: "rate limit", kind: "owner", url: /^dist\/actions\/(rate-limit|lockouts|attempts)\.js$/ },
  { stage: "metrics", kind: "place", url: /^dist\/metrics\.js$/ },
  { stage: "serialization", kind: "place", url: /^(fast-json-stringify|fast-uri)\// },
  { stage: "serialization", kind: "place", url: /^dist\/http\/v[12]\/serialize\.js$/ },
  {
    stage: "serialization",
    kind: "place",
    url: /^fastify\/lib\/(reply|error-serializer)\.js$/,
    fn: /serializ/i,
  },
  { stage: "key derivation and AEAD", kind: "place", url: /^dist\/crypto\// },
  { stage: "key derivation and AEAD", kind: "place", url: /^node:internal\/crypto\// },
  { stage: "store", kind: "place", url: /^(better-sqlite3|bindings|@redis|redis|cluster-key-slot)\// },
  { stage: "store", kind: "place", url: /^dist\/store\// },
  { stage: "body parsing", kind: "place", url: /^dist\/http\/(body|key-param|v1\/params)\.js$/ },
  {
    stage: "body parsing",
    kind: "place",
    url: /^(ajv|ajv-formats|typebox|fast-querystring|secure-json-parse)\//,
  },
  { stage: "body parsing", kind: "place", url: /^fastify\/lib\/(contentTypeParser|validation)\.js$/ },
  { stage: "actions and domain", kind: "place", url: /^dist\/(actions|domain|i18n|branding)\// },
  {
    stage: "HTTP and routing",
    kind: "place",
    url: /^(fastify|find-my-way|avvio|@fastify\/[^/]+|fast-decode-uri-component|light-my-request)\//,
  },
  { stage: "HTTP and routing", kind: "place", url: /^dist\/(http|server)\// },
  {
    stage: "HTTP and routing",
    kind: "place",
    url: /^node:(_http_\w+|net|internal\/(http|streams?|stream_base_commons))/,
  },
];

/** The order of the printed table. */
export const STAGES: readonly Stage[] = [
  "HTTP and routing",
  "body parsing",
  "auth",
  "rate limit",
  "key derivation and AEAD",
  "store",
  "serialization",
  "logging",
  "metrics",
  "actions and domain",
  "GC",
  "V8 and native, unattributed",
  "other",
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** A frame's URL as the rules see it: `fastify/lib/reply.js`, `dist/store/sqlite/secrets.js`, `node:net`. */
export function shortUrl(url: string): string {
  const path = url.replace(/^file:\/\//, "");
  const modules = path.lastIndexOf(MODULES);
  if (modules >= 0) return path.slice(modules + MODULES.length);
  const dist = path.lastIndexOf(`/${DIST}`);
  if (dist >= 0) return path.slice(dist + 1);
  return path;
}

function matches(rule: StageRule, frame: ProfileNode["callFrame"], url: string): boolean {
  return rule.url.test(url) && (rule.fn === undefined || rule.fn.test(frame.functionName));
}

/** Each node's stage, from its stack (the node and its ancestors, leaf first). */
export function stageOfNodes(
  profile: CpuProfile,
  rules: readonly StageRule[] = STAGE_RULES,
): Map<number, Stage> {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const owners = rules.filter((r) => r.kind === "owner");
  const places = rules.filter((r) => r.kind === "place");
  const stages = new Map<number, Stage>();
  for (const node of profile.nodes) {
    const name = node.callFrame.functionName;
    if (name === "(garbage collector)") stages.set(node.id, "GC");
    else if (name === "(program)") stages.set(node.id, "V8 and native, unattributed");
    if (stages.has(node.id) || name === "(idle)") continue;
    const stack: { frame: ProfileNode["callFrame"]; url: string }[] = [];
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (frame !== undefined) stack.push({ frame, url: shortUrl(frame.url) });
    }
    const owner = owners.find((r) => stack.some((s) => matches(r, s.frame, s.url)));
    let stage: Stage | undefined = owner?.stage;
    for (let i = 0; stage === undefined && i < stack.length; i++) {
      const s = stack[i];
      if (s !== undefined) stage = places.find((r) => matches(r, s.frame, s.url))?.stage;
    }
    stages.set(node.id, stage ?? "other");
  }
  return stages;
}

export interface StageSamples {
  /** Samples per stage inside the window, idle excluded. */
  samples: Map<Stage, number>;
  busy: number;
  idle: number;
}

/**
 * Counts the samples taken between `fromUs` and `toUs` (the monotonic clock of
 * process.hrtime.bigint() / 1000, which V8's profile timestamps share) by stage.
 */
export function stageSamples(
  profile: CpuProfile,
  fromUs = Number.NEGATIVE_INFINITY,
  toUs = Number.POSITIVE_INFINITY,
  rules: readonly StageRule[] = STAGE_RULES,
): StageSamples {
  const stages = stageOfNodes(profile, rules);
  const samples = new Map<Stage, number>();
  let busy = 0;
  let idle = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    if (time < fromUs || time > toUs) continue;
    const stage = stages.get(profile.samples[i] ?? -1);
    if (stage === undefined) {
      idle++;
      continue;
    }
    busy++;
    samples.set(stage, (samples.get(stage) ?? 0) + 1);
  }
  return { samples, busy, idle };
}

/** µs of CPU per request per stage: each stage's share of the busy samples × the main thread's CPU. */
export function stageMicros(counted: StageSamples, mainThreadUsPerRequest: number): Map<Stage, number> {
  const micros = new Map<Stage, number>();
  for (const stage of STAGES) {
    const n = counted.samples.get(stage) ?? 0;
    micros.set(stage, counted.busy === 0 ? 0 : (n / counted.busy) * mainThreadUsPerRequest);
  }
  return micros;
}
