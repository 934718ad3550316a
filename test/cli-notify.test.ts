// `onetime share --notify` against a real server process that mails through a real SMTP server in
// this test: the creator hears of the read (the secret encrypted in the terminal, so the server never
// had it), and the mail holds neither the text, the link's key nor the receipt key. Without an
// account, or over API v1, the flag is refused before anything is stored.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { onetime } from "./support/cli-client.js";
import { TEST_SECRET } from "./support/helpers.js";
import { freePort } from "./support/ports.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";
import { tempDir } from "./support/temp.js";

const dir = tempDir("onetime-client-notify-");
let server: Server;
let smtp: TestSmtp;
let owner: Record<string, string>;

before(async () => {
  smtp = await startSmtp(await freePort());
  const admin = { DATA_DIR: join(dir.path, "data"), SECRET: TEST_SECRET };
  const init = await onetime(["account", "create", "owner@example.com", "--init"], { env: admin });
  assert.equal(init.code, 0, init.stderr);
  const token = init.stdout.trimEnd().split("\n").at(-1) ?? "";
  server = await startServerProcess({
    ...admin,
    RATE_LIMIT_ENABLED: "false",
    SMTP_HOST: "127.0.0.1",
    SMTP_PORT: String(smtp.port),
    FROM_EMAIL: "secrets@example.org",
    HOST: "secrets.example.org",
  });
  owner = { ONETIME_URL: server.base, ONETIME_USER: "owner@example.com", ONETIME_TOKEN: token };
});

after(async () => {
  await server?.stop();
  await smtp?.close();
  dir.remove();
});

test("share --notify: the owner is mailed when the link is read; nothing secret in the mail", async () => {
  const shared = await onetime(["share", "--notify", "cli-plaintext-4711"], { env: owner });
  assert.equal(shared.code, 0, shared.stderr);
  const link = shared.stdout.trim();
  const receiptKey = /\/receipt\/([0-9a-z]+)/.exec(shared.stderr)?.[1] ?? "";
  assert.notEqual(receiptKey, "");
  // HOST names the site in links and mails; the test reaches the process on its own port.
  const local = link.replace(/^https?:\/\/[^/]+/, server.base.replace(/\/$/, ""));
  const got = await onetime(["get", local], { env: { ONETIME_URL: server.base } });
  assert.equal(got.stdout, "cli-plaintext-4711");
  const mail = await smtp.take((m) => m.headers.subject === "Your secret was read", "the read notice");
  assert.deepEqual(mail.to, ["owner@example.com"]);
  for (const s of ["cli-plaintext-4711", link.split("/").pop() ?? link, receiptKey]) {
    assert.ok(!mail.raw.includes(s), "nothing that opens the secret or its receipt");
  }
  const key = link.split("#")[1] ?? "";
  assert.ok(key !== "" && !mail.raw.includes(key), "nor the fragment's key");
});

test("share --notify is refused anonymously and over API v1; nothing is shared", async () => {
  const anonymous = await onetime(["share", "--notify", "x"], { env: { ONETIME_URL: server.base } });
  assert.notEqual(anonymous.code, 0);
  assert.equal(anonymous.stdout, "");
  assert.match(anonymous.stderr, /notification/i);
  const v1 = await onetime(["share", "--notify", "--api", "v1", "x"], { env: owner });
  assert.equal(v1.code, 2);
  assert.match(v1.stderr, /--notify needs API v2/);
});
