// The terminal client (`onetime share|get|receipt|burn|recent|status`) against a real server
// process, each command over API v2 (detected) and over API v1 (forced): what goes to stdout and
// stderr, exit statuses, stdin input, passphrases from a file, and that neither a secret nor a
// passphrase reaches the server's debug log.
import assert from "node:assert/strict";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type ClientRun, onetime } from "./support/cli-client.js";
import { TEST_SECRET } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

/** Over API v2 this server takes client-encrypted secrets: the link then ends in #k (cli-client-zk.test.ts). */
const LINK = /^http:\/\/127\.0\.0\.1:\d+\/secret\/([0-9a-z]+(?:#[\w-]{43})?)\n$/;
const RECEIPT = /^receipt: (http:\/\/127\.0\.0\.1:\d+\/(?:receipt|private)\/([0-9a-z]+))$/m;

const dir = tempDir("onetime-client-");
const dataDir = join(dir.path, "data");
let server: Server;
let env: Record<string, string>;
let owner: Record<string, string>;
/** Every secret and passphrase the tests send: none may appear in the server's log. */
const sent: string[] = [];

before(async () => {
  const admin = { DATA_DIR: dataDir, SECRET: TEST_SECRET };
  const init = await onetime(["account", "create", "owner@example.com", "--init"], { env: admin });
  assert.equal(init.code, 0, init.stderr);
  const token = init.stdout.trimEnd().split("\n").at(-1) ?? "";
  sent.push(token);
  server = await startServerProcess(
    // No fsync per commit: what is tested is what the client prints, not a power loss.
    { ...admin, LOG_LEVEL: "debug", RATE_LIMIT_ENABLED: "false", SQLITE_SYNCHRONOUS: "normal" },
    { keepOutput: true },
  );
  env = { ONETIME_URL: server.base };
  owner = { ...env, ONETIME_USER: "owner@example.com", ONETIME_TOKEN: token };
});

after(async () => {
  await server?.stop();
  dir.remove();
});

function secretOf(text: string): string {
  sent.push(text);
  return text;
}

function passphraseFile(passphrase: string): string {
  sent.push(passphrase);
  const path = join(dir.path, `pass-${sent.length}`);
  writeFileSync(path, `${passphrase}\n`);
  return path;
}

/** One line on stderr, no stack trace. */
function oneLine(res: ClientRun, pattern: RegExp): void {
  assert.match(res.stderr, /^onetime: [^\n]+\n$/, res.stderr);
  assert.match(res.stderr, pattern);
}

const MODES = [
  { label: "API v2 (detected)", flags: [] as string[], version: "v2" },
  { label: "API v1 (forced)", flags: ["--api", "v1"], version: "v1" },
] as const;

for (const mode of MODES) {
  describe(`the client over ${mode.label}`, () => {
    const run = (command: string, args: string[], options: Parameters<typeof onetime>[1] = {}) =>
      onetime([command, ...mode.flags, ...args], { env, ...options });

    test("status names the server and the API version", async () => {
      const res = await run("status", []);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, `${server.base}: nominal (API ${mode.version})\n`);
    });

    test("share TEXT: the link alone on stdout, the receipt on stderr; get reveals it once", async () => {
      const text = secretOf(`one line ${mode.version}`);
      const shared = await run("share", [text]);
      assert.equal(shared.code, 0, shared.stderr);
      assert.match(shared.stdout, LINK);
      assert.match(shared.stderr, RECEIPT);
      const link = shared.stdout.trimEnd();
      const got = await run("get", [link]);
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout, text);
      const again = await run("get", [link]);
      assert.equal(again.code, 1);
      assert.equal(again.stdout, "");
      oneLine(again, /no such secret/);
      // The receipt says it was read.
      const receiptLink = RECEIPT.exec(shared.stderr)?.[1] ?? "";
      const receipt = await run("receipt", [receiptLink]);
      assert.equal(receipt.code, 0, receipt.stderr);
      assert.match(receipt.stdout, mode.version === "v1" ? /^state: +received$/m : /^state: +revealed$/m);
      assert.doesNotMatch(receipt.stdout, /\/secret\//);
    });

    test("share from stdin: multi-line UTF-8 comes back byte for byte; a bare key (with its #k) works too", async () => {
      const text = secretOf(`\uFEFFfirst line\r\nsecond: é, 秘密, 🔑\n\n\ttabbed ${mode.version}\n`);
      const shared = await run("share", [], { input: Buffer.from(text, "utf8") });
      assert.equal(shared.code, 0, shared.stderr);
      const key = LINK.exec(shared.stdout)?.[1] ?? "";
      const got = await onetime(["get", ...mode.flags, key], { env });
      assert.equal(got.code, 0, got.stderr);
      assert.deepEqual(Buffer.from(got.stdout, "utf8"), Buffer.from(text, "utf8"));
    });

    test("input that is not UTF-8, or empty, is refused before anything is sent", async () => {
      // The runs are independent: side by side.
      const inputs = [Buffer.from([0x61, 0xff, 0x62]), Buffer.from([0xc3]), Buffer.alloc(0)];
      for (const [i, res] of (
        await Promise.all(inputs.map((input) => run("share", [], { input })))
      ).entries()) {
        assert.equal(res.code, 2, res.stderr);
        assert.equal(res.stdout, "");
        oneLine(res, inputs[i]?.length === 0 ? /nothing to share/ : /not valid UTF-8/);
      }
      const recent = await onetime(["recent", ...mode.flags], { env: owner });
      assert.equal(recent.code, 0, recent.stderr);
    });

    test("--ttl takes 90, 30m, 1h, 7d; --json prints the server's whole answer", async () => {
      const valid = [
        ["90", 90],
        ["30m", 1800],
        ["1h", 3600],
        ["7d", 604800],
      ] as const;
      const invalid = ["0", "-5", "1w", "soon", "1.5h"];
      // The runs are independent: side by side.
      const [shared, refused] = await Promise.all([
        Promise.all(
          valid.map(([ttl]) =>
            run("share", ["--ttl", ttl, "--json", secretOf(`ttl ${ttl} ${mode.version}`)]),
          ),
        ),
        Promise.all(invalid.map((ttl) => run("share", [`--ttl=${ttl}`, "never sent"]))),
      ]);
      for (const [i, [, seconds]] of valid.entries()) {
        const res = shared[i] as ClientRun;
        assert.equal(res.code, 0, res.stderr);
        const body = JSON.parse(res.stdout);
        if (mode.version === "v1") {
          assert.equal(body.ttl, seconds);
          assert.match(body.metadata_key, /^[0-9a-z]+$/);
        } else {
          assert.equal(body.success, true);
          assert.equal(body.record.secret.lifespan, seconds);
          assert.match(body.record.receipt.share_url, /\/secret\//);
        }
      }
      for (const [i, ttl] of invalid.entries()) {
        const res = refused[i] as ClientRun;
        assert.equal(res.code, 2, ttl);
        assert.match(res.stderr, /^onetime: --ttl takes seconds or a duration/);
      }
    });

    test("--generate: the password once on stderr, the link on stdout; get gives the same", async () => {
      const res = await run("share", ["--generate"]);
      assert.equal(res.code, 0, res.stderr);
      assert.match(res.stdout, LINK);
      const password = /^password \(shown once\): (.+)$/m.exec(res.stderr)?.[1] ?? "";
      assert.ok(password.length >= 8, res.stderr);
      sent.push(password);
      const got = await run("get", [res.stdout.trimEnd()]);
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout, password);
    });

    test("a passphrase from a file; without it nothing is consumed", async () => {
      const text = secretOf(`behind a passphrase ${mode.version}`);
      const file = passphraseFile(`tulip-${mode.version}`);
      const shared = await run("share", ["--passphrase-file", file, text]);
      assert.equal(shared.code, 0, shared.stderr);
      const link = shared.stdout.trimEnd();

      const bare = await run("get", [link]);
      assert.equal(bare.stdout, "");
      if (mode.version === "v2") {
        // v2 says a passphrase is needed; with no terminal to ask it on, the file is the way.
        assert.equal(bare.code, 2);
        oneLine(bare, /no terminal is attached.*--passphrase-file/);
      } else {
        // v1 cannot tell "needs a passphrase" from "unknown": it says both.
        assert.equal(bare.code, 1);
        oneLine(bare, /needs a passphrase \(API v1 cannot tell/);
      }
      const wrong = await run("get", ["--passphrase-file", passphraseFile("not-it"), link]);
      assert.equal(wrong.stdout, "");
      assert.equal(wrong.code, mode.version === "v2" ? 4 : 1, wrong.stderr);
      const got = await run("get", ["--passphrase-file", file, link]);
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout, text);
    });

    test("burn: the receipt says burned, the link is dead; a passphrase the server asks is needed", async () => {
      const shared = await run("share", [secretOf(`to burn ${mode.version}`)]);
      const receiptLink = RECEIPT.exec(shared.stderr)?.[1] ?? "";
      const burned = await run("burn", [receiptLink]);
      assert.equal(burned.code, 0, burned.stderr);
      assert.match(burned.stdout, /^state: +burned$/m);
      assert.equal((await run("get", [shared.stdout.trimEnd()])).code, 1);
      const again = await run("burn", [receiptLink]);
      assert.equal(again.code, 1, again.stderr);
      oneLine(again, /nothing to burn: the secret was already read, burned or expired/);

      const file = passphraseFile(`burn-pass-${mode.version}`);
      // Server-side: the server checks a burn's passphrase only when it has one to check.
      const guarded = await run("share", [
        ...(mode.version === "v2" ? ["--server-side"] : []),
        "--passphrase-file",
        file,
        secretOf(`guarded ${mode.version}`),
      ]);
      const guardedReceipt = RECEIPT.exec(guarded.stderr)?.[2] ?? "";
      // The server refuses a burn without the passphrase; there is no terminal to ask it on.
      const refused = await run("burn", [guardedReceipt]);
      assert.equal(refused.code, 2, refused.stderr);
      oneLine(refused, /--passphrase-file/);
      const wrong = await run("burn", ["--passphrase-file", passphraseFile("not-it"), guardedReceipt]);
      assert.equal(wrong.code, 4, wrong.stderr);
      const ok = await run("burn", ["--passphrase-file", file, guardedReceipt]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /^state: +burned$/m);
    });

    test("recent lists the account's receipts; it needs credentials (exit 4)", async () => {
      const shared = await onetime(["share", ...mode.flags, secretOf(`mine ${mode.version}`)], {
        env: owner,
      });
      assert.equal(shared.code, 0, shared.stderr);
      const receiptKey = RECEIPT.exec(shared.stderr)?.[2] ?? "";
      const recent = await onetime(["recent", ...mode.flags], { env: owner });
      assert.equal(recent.code, 0, recent.stderr);
      assert.ok(recent.stdout.split("\n")[0]?.endsWith(receiptKey), recent.stdout);
      assert.doesNotMatch(recent.stdout, /\/secret\//);

      // v2 also takes the token alone (Bearer); v1 needs the email with it.
      const bearer = await onetime(["recent", ...mode.flags], {
        env: { ...env, ONETIME_TOKEN: owner.ONETIME_TOKEN ?? "" },
      });
      if (mode.version === "v2") {
        assert.equal(bearer.code, 0, bearer.stderr);
        assert.equal(bearer.stdout, recent.stdout);
      } else {
        assert.equal(bearer.code, 2, bearer.stderr);
        oneLine(bearer, /API v1 needs ONETIME_USER/);
      }
      const anonymous = await run("recent", []);
      assert.equal(anonymous.code, 4);
      oneLine(anonymous, /ONETIME_USER and ONETIME_TOKEN/);
      const wrong = await onetime(["recent", ...mode.flags], {
        env: { ...owner, ONETIME_TOKEN: "not-the-token" },
      });
      assert.equal(wrong.code, 4, wrong.stderr);
    });

    test("--recipient with an account: the receipt shows the addresses masked", async () => {
      const shared = await onetime(
        ["share", ...mode.flags, "--recipient", "bob@example.com", secretOf(`for bob ${mode.version}`)],
        { env: owner },
      );
      assert.equal(shared.code, 0, shared.stderr);
      const receipt = await onetime(["receipt", ...mode.flags, RECEIPT.exec(shared.stderr)?.[1] ?? ""], {
        env,
      });
      assert.equal(receipt.code, 0, receipt.stderr);
      assert.match(receipt.stdout, /^recipients: +bo\*+@e\*+\.com$/m);
      assert.match(receipt.stdout, /^owner: +owner@example\.com$/m);
    });

    test("--recipient needs an account: exit 4 when anonymous", async () => {
      const res = await run("share", ["--recipient", "bob@example.com", secretOf("for bob")]);
      assert.equal(res.code, 4, res.stderr);
      assert.equal(res.stdout, "");
      oneLine(res, /account/i);
    });

    test("unknown keys and links exit 1; a receipt link where a secret link goes exits 2", async () => {
      const unknown = await run("get", ["abcdefghijklmnopqrstuvwxyz01234"]);
      assert.equal(unknown.code, 1);
      const receipt = await run("receipt", [`${server.base}/receipt/abcdefghijklmnopqrstuvwxyz01234`]);
      assert.equal(receipt.code, 1);
      oneLine(receipt, /no such receipt/);
      const mixed = await run("get", [`${server.base}/receipt/abcdefghijklmnopqrstuvwxyz01234`]);
      assert.equal(mixed.code, 2);
      oneLine(mixed, /receipt link/);
    });
  });
}

describe("whichever API", () => {
  test("a server that cannot be reached: exit 3, one line", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const runs = [["status"], ["share", "x"], ["get", `${closed}/secret/abc`]];
    const results = await Promise.all(runs.map((args) => onetime(args, { env: { ONETIME_URL: closed } })));
    for (const [i, res] of results.entries()) {
      assert.equal(res.code, 3, runs[i]?.join(" "));
      assert.equal(res.stdout, "");
      oneLine(res, /cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    }
  });

  test("a server with only API v1 is detected as such; credentials go to the configured server only", async () => {
    // A v1-only server: the real one's /api/v1, and v1's "Not Found" for anything else.
    const authorizations: (string | undefined)[] = [];
    const v1Only = createServer(async (req, res) => {
      authorizations.push(req.headers.authorization);
      if (!req.url?.startsWith("/api/v1/")) {
        res.writeHead(404, { "content-type": "application/json", "x-ots-intended-status": "404" });
        res.end('{"error":"Not Found"}');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk);
      const headers = { ...req.headers } as Record<string, string>;
      delete headers.host;
      const upstream = await fetch(`${server.base}${req.url}`, {
        method: req.method ?? "GET",
        headers,
        ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(upstream.status, Object.fromEntries(upstream.headers));
      res.end(Buffer.from(await upstream.arrayBuffer()));
    });
    v1Only.listen(0, "127.0.0.1");
    await once(v1Only, "listening");
    const base = `http://127.0.0.1:${(v1Only.address() as AddressInfo).port}`;
    try {
      const status = await onetime(["status"], { env: { ONETIME_URL: base } });
      assert.equal(status.code, 0, status.stderr);
      assert.equal(status.stdout, `${base}: nominal (API v1)\n`);
      const forced = await onetime(["status", "--api", "v2"], { env: { ONETIME_URL: base } });
      assert.equal(forced.code, 3);
      oneLine(forced, /no such API v2 route \(try --api v1\)/);

      // Shared on the v1-only server; read with credentials configured for another server.
      const shared = await onetime(["share", secretOf("over v1 only")], { env: { ONETIME_URL: base } });
      assert.equal(shared.code, 0, shared.stderr);
      assert.match(shared.stdout, new RegExp(`^${base}/secret/`));
      authorizations.length = 0;
      const got = await onetime(["get", shared.stdout.trimEnd()], { env: owner });
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout, "over v1 only");
      assert.ok(authorizations.length > 0);
      assert.deepEqual(
        authorizations.filter((a) => a !== undefined),
        [],
        "the token went to a server it was not configured for",
      );
    } finally {
      v1Only.close();
    }
  });

  test("rate limited: exit 3, one line, over either API", async () => {
    const limited = await startServerProcess({ SECRET: TEST_SECRET, RATE_LIMIT_CREATE: "1" });
    try {
      const env = { ONETIME_URL: limited.base };
      const allowed = await onetime(["share", "the one allowed"], { env });
      assert.equal(allowed.code, 0, allowed.stderr);
      // Both APIs count against the same limit.
      for (const flags of [[], ["--api", "v1"]]) {
        const refused = await onetime(["share", ...flags, "one too many"], { env });
        assert.equal(refused.code, 3, refused.stderr);
        assert.equal(refused.stdout, "");
        oneLine(refused, /rate limited by the server/);
      }
    } finally {
      await limited.stop();
    }
  });

  test("a link names its own server: ONETIME_URL and --server do not matter then", async () => {
    const shared = await onetime(["share", secretOf("linked")], { env });
    const closed = `http://127.0.0.1:${await freePort()}`;
    const got = await onetime(["get", "--server", closed, shared.stdout.trimEnd()], {
      env: { ONETIME_URL: closed },
    });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, "linked");
  });

  test("bad usage exits 2 with one problem and the usage; a passphrase is never taken in argv", async () => {
    // Every run below is independent: side by side.
    const usage = [
      [["share", "--passphrase", "tulip", "text"], "a passphrase never goes on the command line"],
      [["share", "--passphrase=tulip", "text"], "a passphrase never goes on the command line"],
      [["get", "--passphrase"], "a passphrase never goes on the command line"],
      [["get"], "get needs a LINK or KEY"],
      [["share", "a", "b"], "unexpected argument: b (quote the text)"],
      [["share", "--generate", "text"], "--generate makes the secret: give no TEXT"],
      [["status", "--api", "v3"], "--api takes v1 or v2, not v3"],
      [["receipt", "--ttl", "1h", "abc"], "--ttl does not go with receipt"],
      [["recent", "--frob"], "unknown option: --frob"],
    ] as const;
    const settings = [
      [["status"], { ONETIME_URL: "ftp://example.com" }, /not an http\(s\) server URL/],
      [["status"], { ONETIME_USER: "owner@example.com" }, /ONETIME_TOKEN is not/],
      [["get", "http://example.com/elsewhere/abc"], {}, /not a secret link or key/],
    ] as const;
    const [usageRuns, settingRuns] = await Promise.all([
      Promise.all(usage.map(([args]) => onetime([...args], { env }))),
      Promise.all(settings.map(([args, extra]) => onetime([...args], { env: { ...env, ...extra } }))),
    ]);
    for (const [i, [args, problem]] of usage.entries()) {
      const res = usageRuns[i] as ClientRun;
      assert.equal(res.code, 2, args.join(" "));
      assert.equal(res.stdout, "");
      assert.ok(res.stderr.startsWith(`onetime: ${problem}`), res.stderr);
      assert.match(res.stderr, /^onetime: [^\n]+\n\nusage: onetime <command>/);
    }
    for (const [i, [args, , problem]] of settings.entries()) {
      const res = settingRuns[i] as ClientRun;
      assert.equal(res.code, 2, args.join(" "));
      oneLine(res, problem);
    }
  });

  test("the client commands load nothing of the server: no store, no configuration, no actions", async () => {
    // A module hook that refuses to load the server's parts; the admin commands cannot run under it.
    const hooks = `export async function resolve(specifier, context, next) {
      const found = await next(specifier, context);
      if (/\\/src\\/(store|server|actions|config)|node_modules\\/(better-sqlite3|redis|@redis|fastify)\\//.test(found.url)) {
        throw new Error("the client loaded " + found.url);
      }
      return found;
    }`;
    const register = `import { register } from "node:module"; register(${JSON.stringify(
      `data:text/javascript,${encodeURIComponent(hooks)}`,
    )});`;
    const nodeArgs = ["--import", `data:text/javascript,${encodeURIComponent(register)}`];
    const status = await onetime(["status"], { env, nodeArgs });
    assert.equal(status.code, 0, status.stderr);
    const shared = await onetime(["share", secretOf("light")], { env, nodeArgs });
    assert.equal(shared.code, 0, shared.stderr);
    const admin = await onetime(["purge"], { env: { DATA_DIR: dataDir, SECRET: TEST_SECRET }, nodeArgs });
    assert.notEqual(admin.code, 0);
    assert.match(admin.stderr, /the client loaded .*\/src\/(store|server|actions|config)/);
  });

  test("--help groups the client and the admin commands", async () => {
    const res = await onetime(["--help"]);
    assert.equal(res.code, 0);
    const client = res.stdout.indexOf("Client commands");
    const admin = res.stdout.indexOf("Admin commands");
    assert.ok(client > 0 && admin > client, res.stdout);
    for (const command of [
      "share [TEXT]",
      "get LINK|KEY",
      "receipt LINK|KEY",
      "burn LINK|KEY",
      "recent",
      "status",
    ]) {
      assert.ok(res.stdout.slice(client, admin).includes(`  ${command}`), command);
    }
    for (const command of ["serve", "account create EMAIL", "purge"]) {
      assert.ok(res.stdout.slice(admin).includes(`  ${command}`), command);
    }
  });

  test("no secret, passphrase or token the tests sent is in the server's debug log", () => {
    const log = server.output();
    // At LOG_LEVEL=debug the server logs a line per request, with its path (keys cut short).
    const requests = (log.match(/"msg":"request"/g) ?? []).length;
    assert.ok(requests > 20, `${requests} request lines`);
    assert.ok(sent.length > 20, `${sent.length} values checked`);
    for (const value of sent) {
      assert.ok(!log.includes(value), `the server's log contains ${JSON.stringify(value)}`);
      // Also as it would travel in a form or a URL.
      assert.ok(!log.includes(encodeURIComponent(value)), `encoded: ${JSON.stringify(value)}`);
    }
  });
});
