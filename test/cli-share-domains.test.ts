// `onetime share --domain HOST` against a real server process with SHARE_DOMAINS (docs/cli.md): the
// link names that host (encrypted here, server-side and generated alike) and opens on this server;
// a host the server does not list is refused (exit 2, the server's list in the message) with
// nothing stored; over API v1, which would drop it silently, the client refuses before sending.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { secretRows } from "./support/actions.js";
import { onetime } from "./support/cli-client.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const dir = tempDir("onetime-client-domains-");
const dataDir = join(dir.path, "data");
let server: Server;
let env: Record<string, string>;

before(async () => {
  server = await startServerProcess({
    DATA_DIR: dataDir,
    SECRET: TEST_SECRET,
    RATE_LIMIT_ENABLED: "false",
    SHARE_DOMAINS: "links.example.org,share.example.net",
  });
  env = { ONETIME_URL: server.base };
});

after(async () => {
  await server?.stop();
  dir.remove();
});

/** The link as this test can follow it: the same path and fragment on the server's own address. */
const onServer = (link: URL) => `${server.base}${link.pathname}${link.hash}`;

describe("onetime share --domain", () => {
  for (const flags of [[], ["--server-side"]]) {
    test(`the link names the host asked for and opens (${flags.length === 0 ? "zero-knowledge" : "server-side"})`, async () => {
      const shared = await onetime(
        ["share", "--domain", "Share.Example.net", ...flags, "on the other host"],
        {
          env,
        },
      );
      assert.equal(shared.code, 0, shared.stderr);
      const link = new URL(shared.stdout.trimEnd());
      assert.equal(link.host, "share.example.net");
      assert.equal(link.hash === "", flags.length > 0, "the key stays in the fragment when encrypted here");
      const got = await onetime(["get", onServer(link)], { env });
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout, "on the other host");
    });
  }

  test("--generate takes it too", async () => {
    const shared = await onetime(["share", "--generate", "--domain", "links.example.org"], { env });
    assert.equal(shared.code, 0, shared.stderr);
    assert.equal(new URL(shared.stdout.trimEnd()).host, "links.example.org");
    assert.match(shared.stderr, /^password \(shown once\): \S+$/m);
  });

  test("--json shows the server's share_domain", async () => {
    const shared = await onetime(["share", "--json", "--server-side", "--domain", "links.example.org", "x"], {
      env,
    });
    assert.equal(shared.code, 0, shared.stderr);
    assert.equal(JSON.parse(shared.stdout).record.share_domain, "links.example.org");
  });

  test("a host the server does not list: exit 2, the list named, nothing stored", async () => {
    const before = secretRows(dataDir);
    const own = new URL(server.base).host;
    for (const flags of [[], ["--server-side"], ["--generate"]]) {
      const args = [
        "share",
        "--domain",
        "evil.example",
        ...flags,
        ...(flags[0] === "--generate" ? [] : ["x"]),
      ];
      const refused = await onetime(args, { env });
      assert.equal(refused.code, 2, refused.stderr);
      assert.equal(refused.stdout, "");
      assert.equal(
        refused.stderr,
        `onetime: the server refused: Invalid parameter: share_domain (one of: ${own}, links.example.org, share.example.net)\n`,
      );
    }
    assert.deepEqual(secretRows(dataDir), before);
  });

  test("over API v1 (which drops an unlisted domain silently) it is refused before sending", async () => {
    const before = secretRows(dataDir);
    const refused = await onetime(["share", "--api", "v1", "--domain", "links.example.org", "x"], { env });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^onetime: --domain needs API v2/);
    assert.deepEqual(secretRows(dataDir), before);
  });

  test("an empty --domain is a usage error; other commands do not take it", async () => {
    const empty = await onetime(["share", "--domain", " ", "x"], { env });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /--domain needs a HOST/);
    const get = await onetime(["get", "--domain", "links.example.org", "KEY"], { env });
    assert.equal(get.code, 2);
    assert.match(get.stderr, /--domain does not go with get/);
  });

  test("the help names it", async () => {
    const help = await onetime(["--help"]);
    assert.match(help.stdout + help.stderr, /--domain HOST +the link's host/);
  });
});
