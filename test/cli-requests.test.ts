// Secret requests from the terminal against a real server process (docs/requests.md, docs/cli.md):
// `onetime request` makes one with a key pair made in the terminal; `onetime answer` answers the
// request link anonymously, sealed there; `onetime answers` opens the answers with the requester
// link's private key, and another request's key opens nothing; the link used up says so.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { onetime } from "./support/cli-client.js";
import { TEST_SECRET } from "./support/helpers.js";
import { type Server, startServerProcess } from "./support/server-process.js";
import { tempDir } from "./support/temp.js";

const dir = tempDir("onetime-client-requests-");
let server: Server;
let owner: Record<string, string>;

before(async () => {
  const admin = { DATA_DIR: join(dir.path, "data"), SECRET: TEST_SECRET };
  const init = await onetime(["account", "create", "owner@example.com", "--init"], { env: admin });
  assert.equal(init.code, 0, init.stderr);
  const token = init.stdout.trimEnd().split("\n").at(-1) ?? "";
  server = await startServerProcess({ ...admin, RATE_LIMIT_ENABLED: "false" });
  owner = { ONETIME_URL: server.base, ONETIME_USER: "owner@example.com", ONETIME_TOKEN: token };
});

after(async () => {
  await server?.stop();
  dir.remove();
});

const requesterLink = (stderr: string) => /(\S+\/requester\/\S+)/.exec(stderr)?.[1] ?? "";

test("request, answer anonymously from stdin, open with the requester link; used up afterwards", async () => {
  const made = await onetime(["request", "the staging DB password"], { env: owner });
  assert.equal(made.code, 0, made.stderr);
  const requestUrl = made.stdout.trim();
  assert.match(requestUrl, /\/request\/[0-9a-z]{31}#[A-Za-z0-9_-]{87}$/);
  const mine = requesterLink(made.stderr);
  assert.match(mine, /\/requester\/[0-9a-z]{31}#[A-Za-z0-9_-]{128}$/);

  // The sender: no account, the text on stdin.
  const sent = await onetime(["answer", requestUrl], { input: "hunter2-from-cli" });
  assert.equal(sent.code, 0, sent.stderr);
  assert.match(sent.stderr, /the request: the staging DB password/);
  assert.match(sent.stdout, /answered \(1 of 1\)/);

  // Used up: a second answer is refused, exit 1.
  const late = await onetime(["answer", requestUrl, "too late"]);
  assert.equal(late.code, 1, late.stderr);
  assert.match(late.stderr, /no more answers/);

  // Another request's private key (same server) derives another key: refused, nothing consumed.
  const other = await onetime(["request", "another"], { env: owner });
  const otherKey = requesterLink(other.stderr).split("#")[1] ?? "";
  const wrong = await onetime(["answers", `${mine.split("#")[0]}#${otherKey}`]);
  assert.equal(wrong.code, 4, wrong.stderr);
  assert.match(wrong.stderr, /does not open/);

  // The requester's recent list shows the request and its answer (its receipt), nothing to open it.
  const recent = await onetime(["recent"], { env: owner });
  assert.equal(recent.code, 0, recent.stderr);
  assert.match(recent.stdout, /^request {2}used {2}1\/1 answers {2}the staging DB password$/m);
  assert.match(recent.stdout, /^ {2}answer {2}new {2}[0-9a-z]+$/m);
  assert.ok(!recent.stdout.includes("hunter2"));

  const opened = await onetime(["answers", mine]);
  assert.equal(opened.code, 0, opened.stderr);
  assert.equal(opened.stdout, "hunter2-from-cli\n");
  // Read once, like any secret.
  const again = await onetime(["answers", mine]);
  assert.equal(again.stdout, "(already read or expired)\n");
});

test("a 2-answer request takes two answers in --json, and a link cut short is refused", async () => {
  const made = await onetime(["request", "two keys", "--answers", "2", "--json"], { env: owner });
  assert.equal(made.code, 0, made.stderr);
  const json = JSON.parse(made.stdout) as { request_url: string; requester_url: string; answers_max: number };
  assert.equal(json.answers_max, 2);
  for (const text of ["one", "two"])
    assert.equal((await onetime(["answer", json.request_url, text])).code, 0);
  const opened = await onetime(["answers", json.requester_url, "--json"]);
  const answers = (JSON.parse(opened.stdout) as { answers: { text: string }[] }).answers.map((a) => a.text);
  assert.deepEqual(answers.sort(), ["one", "two"]);
  const cut = await onetime(["answer", json.request_url.slice(0, -5), "x"]);
  assert.equal(cut.code, 2, cut.stderr);
  const anonymous = await onetime(["request", "no account"], { env: { ONETIME_URL: server.base } });
  assert.equal(anonymous.code, 4, anonymous.stderr);
});
