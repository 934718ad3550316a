// `onetime share --views N` against a real server process (docs/cli.md): the link opens N times, each
// `get` but the last saying on stderr how many remain (stdout stays the secret alone); `receipt` and
// `recent` show the views used and left and when each was read, in words and in --json; API v1 and
// bad values are refused before anything is stored.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ClientRun, onetime } from "./support/cli-client.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const RECEIPT = /^receipt: (http:\/\/127\.0\.0\.1:\d+\/receipt\/([0-9a-z]+))$/m;
const TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ";

const dir = tempDir("onetime-client-views-");
let server: Server;
let env: Record<string, string>;
let owner: Record<string, string>;

before(async () => {
  const admin = { DATA_DIR: join(dir.path, "data"), SECRET: TEST_SECRET };
  const init = await onetime(["account", "create", "owner@example.com", "--init"], { env: admin });
  assert.equal(init.code, 0, init.stderr);
  const token = init.stdout.trimEnd().split("\n").at(-1) ?? "";
  // No fsync per commit: what is tested is what the client prints, not a power loss.
  server = await startServerProcess({
    ...admin,
    RATE_LIMIT_ENABLED: "false",
    VIEWS_MAX_ANONYMOUS: "4",
    SQLITE_SYNCHRONOUS: "normal",
  });
  env = { ONETIME_URL: server.base };
  owner = { ...env, ONETIME_USER: "owner@example.com", ONETIME_TOKEN: token };
});

after(async () => {
  await server?.stop();
  dir.remove();
});

describe("onetime share --views", () => {
  for (const flags of [[], ["--server-side"]]) {
    test(`a 3-view link opens three times, then never (${flags.length === 0 ? "zero-knowledge" : "server-side"})`, async () => {
      const shared = await onetime(["share", "--views", "3", ...flags, "for the three of you"], { env });
      assert.equal(shared.code, 0, shared.stderr);
      const link = shared.stdout.trimEnd();
      const receiptLink = RECEIPT.exec(shared.stderr)?.[1] ?? "";

      for (const note of [
        "the link can be opened 2 more times\n",
        "the link can be opened 1 more time\n",
        "",
      ]) {
        const got = await onetime(["get", link], { env });
        assert.equal(got.code, 0, got.stderr);
        assert.equal(got.stdout, "for the three of you");
        assert.equal(got.stderr, note);
        if (note.includes("2 more")) {
          const receipt = await onetime(["receipt", receiptLink], { env });
          assert.match(receipt.stdout, /^state: +new$/m);
          assert.match(receipt.stdout, /^views: +1 of 3 used, 2 left$/m);
          assert.match(receipt.stdout, new RegExp(`^read: +${TIME}$`, "m"));
          assert.match(receipt.stdout, /^secret: +http/m, "the link is shown while it still works");
        }
      }
      const gone = await onetime(["get", link], { env });
      assert.equal(gone.code, 1, gone.stderr);

      const receipt = await onetime(["receipt", receiptLink], { env });
      assert.equal(receipt.code, 0, receipt.stderr);
      assert.match(receipt.stdout, /^state: +revealed$/m);
      assert.match(receipt.stdout, /^views: +3 of 3 used, 0 left$/m);
      assert.match(receipt.stdout, new RegExp(`^read: +${TIME}, ${TIME}, ${TIME}$`, "m"));
      const json = JSON.parse((await onetime(["receipt", "--json", receiptLink], { env })).stdout);
      assert.deepEqual([json.record.views, json.record.views_used, json.record.views_left], [3, 3, 0]);
      assert.equal(json.record.read_times.length, 3);
    });
  }

  test("recent shows each receipt's views used of its limit", async () => {
    const shared = await onetime(["share", "--views", "5", "team password"], { env: owner });
    assert.equal(shared.code, 0, shared.stderr);
    const receiptKey = RECEIPT.exec(shared.stderr)?.[2] ?? "";
    assert.equal((await onetime(["get", shared.stdout.trimEnd()], { env })).code, 0);
    const recent = await onetime(["recent"], { env: owner });
    assert.equal(recent.code, 0, recent.stderr);
    const [line] = recent.stdout.split("\n");
    assert.match(line ?? "", new RegExp(`^${TIME} +new +1/5 +http\\S+/receipt/${receiptKey}$`));
    const json = JSON.parse((await onetime(["recent", "--json"], { env: owner })).stdout);
    assert.equal(json.records[0].views_used, 1);
  });

  test("refused before anything is stored: over API v1, not a whole number, over the server's ceiling", async () => {
    // The runs are independent: side by side.
    const malformed = ["0", "abc", "1.5", "-2"];
    const [v1, ...bads] = await Promise.all([
      onetime(["share", "--api", "v1", "--views", "2", "text"], { env }),
      ...malformed.map((views) => onetime(["share", `--views=${views}`, "text"], { env })),
    ]);
    assert.equal(v1?.code, 2);
    assert.match(v1?.stderr ?? "", /^onetime: --views needs API v2: a v1 share is read once/);
    for (const [i, views] of malformed.entries()) {
      const bad = bads[i] as ClientRun;
      assert.equal(bad.code, 2, views);
      assert.match(bad.stderr, /--views takes a whole number of 1 or more/);
    }
    const anonymous = await onetime(["share", "--views", "5", "text"], { env });
    assert.equal(anonymous.code, 2);
    assert.match(
      anonymous.stderr,
      /^onetime: the server refused: Invalid parameter: views \(from 1 to 4\)$/m,
    );
    assert.equal(anonymous.stdout, "");
    const signedIn = await onetime(["share", "--views", "5", "text"], { env: owner });
    assert.equal(signedIn.code, 0, "the signed-in ceiling is VIEWS_MAX");
  });

  test("--views goes with share only", async () => {
    const res = await onetime(["get", "--views", "2", "abc"], { env });
    assert.equal(res.code, 2);
    assert.match(res.stderr, /--views does not go with get/);
  });
});
