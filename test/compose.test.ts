// compose.yaml, read as Docker Compose would (no Docker engine runs here, so no container is
// started): the scale profile's nodes behind Caddy name the proxy's port in links and trust one
// proxy hop, so that each client has its own rate limits; every app service's environment is one
// loadConfig accepts; the single node's links name the port it publishes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { loadConfig } from "../src/config.js";
import { makeTestApp, postForm } from "./support/helpers.js";

type Yaml = string | { [key: string]: Yaml };
type Mapping = { [key: string]: Yaml };

/**
 * A reader for the part of YAML that compose.yaml uses: block mappings by indentation, full-line
 * comments, anchors on mappings (`&name`), aliases (`*name`) and merge keys (`<<: *name`). Flow
 * collections and scalars stay strings. Anything else is refused, so the file cannot drift into
 * syntax this reader would misread.
 */
function readYaml(text: string): Mapping {
  const root: Mapping = {};
  const stack: { indent: number; map: Mapping }[] = [{ indent: -1, map: root }];
  const anchors = new Map<string, Mapping>();
  for (const [i, line] of text.split("\n").entries()) {
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const match = /^( *)([A-Za-z0-9_<.-]+):(?: (.*))?$/.exec(line);
    assert.ok(match, `compose.yaml line ${i + 1} is outside the subset this test reads: ${line}`);
    const [, spaces = "", key = "", rest = ""] = match;
    while ((stack.at(-1)?.indent ?? -1) >= spaces.length) stack.pop();
    const parent = stack.at(-1)?.map ?? root;
    const alias = /^\*([\w-]+)$/.exec(rest)?.[1];
    if (alias !== undefined) {
      const target = anchors.get(alias);
      assert.ok(target, `unknown alias *${alias}`);
      if (key === "<<") Object.assign(parent, target);
      else parent[key] = target;
    } else if (rest === "" || /^&[\w-]+$/.test(rest)) {
      const map: Mapping = {};
      parent[key] = map;
      if (rest !== "") anchors.set(rest.slice(1), map);
      stack.push({ indent: spaces.length, map });
    } else {
      parent[key] = /^"(.*)"$/.exec(rest)?.[1] ?? rest;
    }
  }
  return root;
}

/** Compose's interpolation: `${NAME:-default}` and `${NAME:?message}`, from `vars`. */
function interpolate(value: string, vars: Record<string, string>): string {
  return value.replace(/\$\{(\w+):([-?])([^}]*)\}/g, (_m, name: string, op: string, arg: string) => {
    const set = vars[name];
    if (set !== undefined && set !== "") return set;
    if (op === "?") throw new Error(`compose would stop: ${arg}`);
    return arg;
  });
}

const compose = readYaml(readFileSync(join(import.meta.dirname, "..", "compose.yaml"), "utf8"));
const services = compose.services as Mapping;
const VARS = { SECRET: "compose-test-secret-0123456789abcdef0123456789" };

function service(name: string): Mapping {
  const found = services[name];
  assert.ok(typeof found === "object", `service ${name}`);
  return found;
}

/** A service's environment as the container would get it, with SECRET set and nothing else. */
function environment(name: string): Record<string, string> {
  const env = service(name).environment;
  assert.ok(typeof env === "object");
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v), VARS)]));
}

const flowList = (value: Yaml | undefined): string[] => JSON.parse(String(value)) as string[];

describe("compose.yaml, scale profile: Caddy in front of two nodes", () => {
  const command = flowList(service("proxy").command);
  const from = command[command.indexOf("--from") + 1] ?? "";
  const proxyPort = /^:(\d+)$/.exec(from)?.[1];
  const upstreams = command.flatMap((arg, i) => (command[i - 1] === "--to" ? [arg.split(":")[0] ?? ""] : []));

  test("Caddy listens on the port it publishes, and balances nodes of the same profile", () => {
    assert.ok(proxyPort !== undefined, `--from ${from}`);
    assert.deepEqual(flowList(service("proxy").ports), [`${proxyPort}:${proxyPort}`]);
    assert.deepEqual(upstreams, ["node-a", "node-b"]);
    for (const name of upstreams) assert.equal(service(name).profiles, '["scale"]');
  });

  test("each node behind it publishes no port, names the proxy's port in links, trusts one hop", () => {
    for (const name of upstreams) {
      assert.equal(service(name).ports, undefined, `${name} is reachable only through the proxy`);
      const config = loadConfig(environment(name));
      assert.equal(config.host, `localhost:${proxyPort}`);
      assert.equal(config.trustProxy, 1);
      assert.equal(config.redisUrl, "redis://redis:6379");
    }
  });

  test("with that environment, two clients behind the proxy have two rate-limit buckets", async () => {
    const { REDIS_URL: _store, ...env } = environment("node-a");
    const t = await makeTestApp({ ...env, RATE_LIMIT_CREATE: "1" });
    try {
      // app.inject() connects from 127.0.0.1, as Caddy would, adding the client in X-Forwarded-For.
      const from = (client: string) => ({ "x-forwarded-for": client });
      const first = await postForm(t.app, "/share", { secret: "a" }, from("198.51.100.7"));
      assert.equal(first.statusCode, 200);
      const again = await postForm(t.app, "/share", { secret: "a" }, from("198.51.100.7"));
      assert.equal(again.headers["x-ots-intended-status"], "429");
      const other = await postForm(t.app, "/share", { secret: "b" }, from("203.0.113.9"));
      assert.equal(other.statusCode, 200, "another client is not limited by the first one's requests");
      const revealed = await postForm(t.app, `/secret/${other.json().secret_key}`);
      assert.equal(revealed.json().share_domain, `http://localhost:${proxyPort}`);
    } finally {
      await t.close();
    }
  });
});

describe("compose.yaml, the single node", () => {
  test("its links name the port it publishes; it trusts no proxy", () => {
    const config = loadConfig(environment("app"));
    assert.deepEqual(flowList(service("app").ports), ["3000:3000"]);
    assert.equal(config.host, "localhost:3000");
    assert.equal(config.trustProxy, false);
  });

  test("without SECRET, compose itself refuses to start", () => {
    const env = service("app").environment as Mapping;
    assert.throws(() => interpolate(String(env.SECRET), {}), /compose would stop: set SECRET/);
  });
});

describe("Dockerfile and compose.yaml: /metrics stays off the published ports", () => {
  const dockerfile = readFileSync(join(import.meta.dirname, "..", "Dockerfile"), "utf8");
  /** The runtime stage's ENV, as `KEY=VALUE` pairs on one ENV line. */
  const imageEnv = Object.fromEntries(
    [...dockerfile.matchAll(/^ENV (.+)$/gm)]
      .flatMap((m) => (m[1] ?? "").split(/\s+/))
      .map((pair) => pair.split("=") as [string, string]),
  );
  const exposed = [...dockerfile.matchAll(/^EXPOSE (.+)$/gm)].flatMap((m) => (m[1] ?? "").split(/\s+/));

  test("the image serves metrics on a listener of its own, which it does not EXPOSE", () => {
    const config = loadConfig({ ...imageEnv, ...environment("app") });
    assert.ok(config.metricsListen !== null, "METRICS_LISTEN is set in the image");
    assert.equal(config.metricsToken, null);
    assert.deepEqual(exposed, [String(config.port)], "only the public port is EXPOSEd");
    assert.notEqual(config.metricsListen.port, config.port);
  });

  test("no service publishes the metrics port", () => {
    const metricsPort = loadConfig(imageEnv).metricsListen?.port;
    for (const [name, definition] of Object.entries(services)) {
      const ports = typeof definition === "object" ? definition.ports : undefined;
      if (ports === undefined) continue;
      for (const mapping of flowList(ports)) {
        const inside = Number(mapping.split(":").at(-1));
        assert.notEqual(inside, metricsPort, `${name} publishes the metrics port (${mapping})`);
      }
    }
  });
});
