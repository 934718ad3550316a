// The terminal client's zero-knowledge secrets, against a real server process behind a recording
// proxy (every request's line, headers and body kept): `onetime share` seals locally and prints the
// link with #k, `onetime get` opens it locally; what the server receives, logs (LOG_LEVEL=debug) and
// stores holds neither the text, nor k, nor the passphrase; a missing or wrong k or passphrase
// consumes nothing; --server-side and servers without the capability; interoperability with a
// client made of Node's WebCrypto and src/crypto/zk.ts, as the page script uses it.
import assert from "node:assert/strict";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import * as zk from "../src/crypto/zk.js";
import { type ClientRun, onetime } from "./support/cli-client.js";
import { scanDataDir } from "./support/data-dir.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";
import { revealClient, shareClient } from "./support/zk-client.js";

const ZK_LINK = /^(http:\/\/127\.0\.0\.1:\d+\/secret\/([0-9a-z]+))#([\w-]{43})\n$/;
const PLAIN_LINK = /^http:\/\/127\.0\.0\.1:\d+\/secret\/([0-9a-z]+)\n$/;
const RECEIPT = /^receipt: (\S+)$/m;

interface Seen {
  method: string;
  url: string;
  headers: string;
  body: string;
}

const dir = tempDir("onetime-client-zk-");
const dataDir = join(dir.path, "data");
let server: Server;
let proxy: ReturnType<typeof createServer>;
/** The proxy's address: what the client is told the server is. */
let base: string;
let env: Record<string, string>;
let owner: Record<string, string>;
const seen: Seen[] = [];
/** Texts, keys and passphrases of client-encrypted secrets: the server may never get any. */
const secret: string[] = [];

before(async () => {
  const admin = { DATA_DIR: dataDir, SECRET: TEST_SECRET };
  const init = await onetime(["account", "create", "owner@example.com", "--init"], { env: admin });
  assert.equal(init.code, 0, init.stderr);
  const token = init.stdout.trimEnd().split("\n").at(-1) ?? "";
  server = await startServerProcess(
    // No fsync per commit: what is tested is what the client sends and prints, not a power loss.
    { ...admin, LOG_LEVEL: "debug", RATE_LIMIT_ENABLED: "false", SQLITE_SYNCHRONOUS: "normal" },
    { keepOutput: true },
  );
  const target = new URL(server.base);
  // Passes every request on unchanged (its Host too, so links name the proxy) and keeps a copy.
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = Buffer.concat(chunks);
    seen.push({
      method: req.method ?? "",
      url: req.url ?? "",
      headers: JSON.stringify(req.headers),
      body: body.toString("utf8"),
    });
    const out = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.end(body);
  });
  proxy.listen(0, "127.0.0.1");
  await once(proxy, "listening");
  base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  env = { ONETIME_URL: base };
  owner = { ...env, ONETIME_USER: "owner@example.com", ONETIME_TOKEN: token };
});

after(async () => {
  proxy?.close();
  await server?.stop();
  dir.remove();
});

function passphraseFile(passphrase: string): string {
  const path = join(dir.path, `pass-${seen.length}-${secret.length}`);
  writeFileSync(path, `${passphrase}\n`);
  return path;
}

/** A client-encrypted share's link, secret key and k; their text and k join the forbidden values. */
function zkLink(res: ClientRun, text: string): { link: string; bare: string; key: string; k: string } {
  assert.equal(res.code, 0, res.stderr);
  const match = ZK_LINK.exec(res.stdout);
  assert.ok(match !== null, `not a link with #k: ${res.stdout}`);
  const [, bare = "", key = "", k = ""] = match;
  secret.push(text, k);
  return { link: res.stdout.trimEnd(), bare, key, k };
}

/** The requests the server received for `path`. */
const received = (path: RegExp) => seen.filter((s) => path.test(s.url));
/** A request as one string: its line, headers and body. */
const whole = (s: Seen | undefined) => (s === undefined ? "" : `${s.method} ${s.url} ${s.headers} ${s.body}`);

/** Wall time of one client command, for the figures the test prints. */
async function timed(args: string[], options: Parameters<typeof onetime>[1]) {
  const started = performance.now();
  const res = await onetime(args, options);
  return { res, ms: Math.round(performance.now() - started) };
}

describe("onetime share and get, client-encrypted (server advertises client_encryption)", () => {
  test("share seals locally and prints LINK#k; get opens it; the server got the blob and the proof", async (t) => {
    const text = "zk text from the terminal, 秘密 🔑";
    const { res: shared, ms: shareMs } = await timed(["share", text], { env });
    const { link, key } = zkLink(shared, text);
    assert.match(shared.stderr, RECEIPT);
    const body = JSON.parse(received(/\/api\/v2\/secret\/conceal$/).at(-1)?.body ?? "{}").secret;
    assert.deepEqual(Object.keys(body).sort(), ["ciphertext", "proof"]);
    assert.equal(zk.fromBase64Url(body.ciphertext).length, new TextEncoder().encode(text).length + 29);

    const { res: got, ms: getMs } = await timed(["get", link], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, text);
    const reveal = received(new RegExp(`/api/v2/secret/${key}/reveal$`));
    assert.equal(reveal.length, 1);
    assert.match(reveal[0]?.body ?? "", /"proof":"[\w-]{43}"/);
    const again = await onetime(["get", link], { env });
    assert.equal(again.code, 1, again.stderr);
    t.diagnostic(`without a passphrase: share ${shareMs} ms, get ${getMs} ms (whole processes)`);
  });

  test("a passphrase goes into PBKDF2 here; without it, or a wrong one, nothing is consumed", async (t) => {
    const text = "zk behind a passphrase";
    const passphrase = "zk-tulip-passphrase";
    secret.push(passphrase);
    const file = passphraseFile(passphrase);
    const { res: shared, ms: shareMs } = await timed(["share", "--passphrase-file", file, text], { env });
    const { link } = zkLink(shared, text);
    assert.match(
      received(/\/api\/v2\/secret\/conceal$/).at(-1)?.body ?? "",
      /"kdf":\{"salt":"[\w-]{22}","iterations":600000\}/,
    );

    const bare = await onetime(["get", link], { env });
    assert.equal(bare.code, 2, bare.stderr);
    assert.match(bare.stderr, /no terminal is attached.*--passphrase-file/);
    const wrong = await onetime(["get", "--passphrase-file", passphraseFile("not-the-one"), link], { env });
    assert.equal(wrong.code, 4, wrong.stderr);
    assert.equal(wrong.stdout, "");
    assert.match(
      wrong.stderr,
      /^onetime: the link's key or the passphrase is wrong: nothing was consumed\n$/,
    );
    const { res: got, ms: getMs } = await timed(["get", "--passphrase-file", file, link], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, text);
    t.diagnostic(
      `with a passphrase (PBKDF2 600,000): share ${shareMs} ms, get ${getMs} ms (whole processes)`,
    );
  });

  test("a link without #k, with a damaged k or a wrong k consumes nothing; the whole link still opens", async () => {
    const text = "zk link cut short";
    const { link, bare, key } = zkLink(await onetime(["share", text], { env }), text);
    const before = seen.length;
    const cut = await onetime(["get", bare], { env });
    assert.equal(cut.code, 2, cut.stderr);
    assert.match(
      cut.stderr,
      /^onetime: this secret was encrypted by its sender and the link has no key after its '#'.*nothing was consumed\)\n$/,
    );
    const damaged = await onetime(["get", `${bare}#not-a-key`], { env });
    assert.equal(damaged.code, 2, damaged.stderr);
    assert.match(damaged.stderr, /damaged/);
    // Neither asked the server for a reveal: only the look, which consumes nothing.
    assert.deepEqual(
      seen.slice(before).filter((s) => s.method === "POST"),
      [],
    );
    const other = zk.encodeKey(zk.newKey());
    const wrong = await onetime(["get", `${key}#${other}`], { env });
    assert.equal(wrong.code, 4, wrong.stderr);
    assert.match(wrong.stderr, /the key after the link's '#' is wrong: nothing was consumed/);
    const got = await onetime(["get", link], { env });
    assert.equal(got.code, 0, got.stderr);
    assert.equal(got.stdout, text);
  });

  test("--generate makes the password here (the server's default rules) and seals it", async () => {
    const shared = await onetime(["share", "--generate"], { env });
    const password = /^password \(shown once\): (.+)$/m.exec(shared.stderr)?.[1] ?? "";
    const { link } = zkLink(shared, password);
    assert.equal(password.length, 12);
    assert.doesNotMatch(password, /[ilo1IO0]/);
    assert.equal(received(/\/secret\/generate$/).length, 0, "the server was asked to generate");
    const got = await onetime(["get", link], { env });
    assert.equal(got.stdout, password);
  });

  test("--json adds the whole link to the server's answer; receipt, burn and recent know the kind", async () => {
    const text = "zk receipt and burn";
    const passphrase = "zk-burn-passphrase";
    secret.push(passphrase);
    const shared = await onetime(["share", "--json", "--passphrase-file", passphraseFile(passphrase), text], {
      env: owner,
    });
    assert.equal(shared.code, 0, shared.stderr);
    const answer = JSON.parse(shared.stdout);
    const { link } = zkLink({ ...shared, stdout: `${answer.link}\n` }, text);
    assert.ok(link.startsWith(`${answer.record.receipt.share_url}#`));
    const receiptKey = answer.record.receipt.key as string;

    const receipt = await onetime(["receipt", receiptKey], { env });
    assert.equal(receipt.code, 0, receipt.stderr);
    assert.match(receipt.stdout, /^encrypted by: +the sender \(zero-knowledge\)$/m);
    assert.match(receipt.stdout, /^secret: +\S+ \(without its #key\)$/m);
    assert.match(receipt.stdout, /^passphrase: +yes$/m);
    const recent = await onetime(["recent"], { env: owner });
    assert.equal(recent.code, 0, recent.stderr);
    assert.ok(recent.stdout.includes(receiptKey), recent.stdout);
    // The server cannot check a passphrase it never had: the receipt alone burns it.
    const burned = await onetime(["burn", receiptKey], { env });
    assert.equal(burned.code, 0, burned.stderr);
    assert.match(burned.stdout, /^state: +burned$/m);
    const gone = await onetime(["get", "--passphrase-file", passphraseFile(passphrase), link], { env });
    assert.equal(gone.code, 1, gone.stderr);
  });
});

describe("interoperability with src/crypto/zk.ts as the page script uses it", () => {
  const browser = () => ({ base }) as Server;

  test("a link made by WebCrypto through API v2 opens with onetime get, with and without a passphrase", async () => {
    for (const passphrase of [undefined, "browser-made-passphrase"]) {
      const text = `made in the page ${passphrase ?? "bare"}`;
      const made = await shareClient(browser(), text, passphrase);
      const shareUrl = (made.made.body.record as { receipt: { share_url: string } }).receipt.share_url;
      const k = zk.encodeKey(made.k);
      secret.push(text, k, ...(passphrase === undefined ? [] : [passphrase]));
      const file = passphrase === undefined ? [] : ["--passphrase-file", passphraseFile(passphrase)];
      const got = await onetime(["get", ...file, `${shareUrl}#${k}`], { env });
      assert.equal(got.code, 0, got.stderr);
      assert.equal(got.stdout, text);
    }
  });

  test("a link made by onetime share opens with zk.ts: look, proof, reveal, open", async () => {
    for (const passphrase of [undefined, "cli-made-passphrase"]) {
      const text = `made in the terminal ${passphrase ?? "bare"}`;
      const file = passphrase === undefined ? [] : ["--passphrase-file", passphraseFile(passphrase)];
      if (passphrase !== undefined) secret.push(passphrase);
      const { key, k } = zkLink(await onetime(["share", ...file, text], { env }), text);
      const opened = await revealClient(browser(), key, zk.decodeKey(k), passphrase);
      assert.equal(opened.text, text, JSON.stringify(opened.answer.body));
    }
  });
});

describe("server-side encryption", () => {
  test("--server-side sends the text as before: no #k, the receipt says the server encrypted it", async () => {
    const shared = await onetime(["share", "--server-side", "server-side text"], { env });
    assert.equal(shared.code, 0, shared.stderr);
    assert.match(shared.stdout, PLAIN_LINK);
    assert.match(received(/\/api\/v2\/secret\/conceal$/).at(-1)?.body ?? "", /"secret":"server-side text"/);
    const receipt = await onetime(["receipt", RECEIPT.exec(shared.stderr)?.[1] ?? ""], { env });
    assert.match(receipt.stdout, /^encrypted by: +the server$/m);
    const got = await onetime(["get", shared.stdout.trimEnd()], { env });
    assert.equal(got.stdout, "server-side text");
  });

  test("a server with ZERO_KNOWLEDGE=off does not advertise it: share is server-side, as today", async () => {
    const off = await startServerProcess({ SECRET: TEST_SECRET, ZERO_KNOWLEDGE: "off" });
    try {
      const shared = await onetime(["share", "no capability"], { env: { ONETIME_URL: off.base } });
      assert.equal(shared.code, 0, shared.stderr);
      assert.match(shared.stdout, PLAIN_LINK);
      const got = await onetime(["get", shared.stdout.trimEnd()], { env: { ONETIME_URL: off.base } });
      assert.equal(got.stdout, "no capability");
    } finally {
      await off.stop();
    }
  });
});

describe("what the server saw", () => {
  test("no request, log line (debug) or data file holds a client secret's text, k or passphrase", () => {
    assert.ok(secret.length >= 20, `${secret.length} values checked`);
    const requests = seen.map(whole).join("\n");
    const log = server.output();
    assert.ok((log.match(/"msg":"request"/g) ?? []).length >= seen.length / 2, "the log has request lines");
    for (const value of new Set(secret)) {
      for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
        assert.ok(!requests.includes(form), `a request carried ${JSON.stringify(value)}`);
        assert.ok(!log.includes(form), `the log holds ${JSON.stringify(value)}`);
      }
    }
    // Every file of the data directory (database, WAL), as raw bytes.
    scanDataDir(dataDir, [...new Set(secret)]);
  });
});
