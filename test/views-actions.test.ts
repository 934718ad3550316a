// View limits through the actions, as every surface calls them, on the runtime the server builds (a
// real SQLite store in a temporary directory): a secret made to be read N times is read N times, each
// reveal saying how many remain; the receipt stays live until the last and keeps each read's time; a
// wrong passphrase or zero-knowledge proof spends no view; the ceilings refuse more, storing nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { burn } from "../src/actions/burn.js";
import { conceal, generate } from "../src/actions/create.js";
import type { Caller } from "../src/actions/deps.js";
import { inspectSecret } from "../src/actions/inspect.js";
import { showReceipt } from "../src/actions/receipt.js";
import { reveal } from "../src/actions/reveal.js";
import * as zk from "../src/crypto/zk.js";
import { viewsLeft, viewsUsed } from "../src/domain/receipt.js";
import { actionsRuntime, secretRows, signedIn } from "./support/actions.js";

const ANONYMOUS: Caller = { ip: "192.0.2.10", account: null };

const refusedViews = (attempt: Promise<unknown>, max: number) =>
  assert.rejects(attempt, { name: "AppError", code: "invalid_param", details: { field: "views", max } });

test("a 3-view secret: three reveals, each saying what is left; the receipt stays live until the last", async (t) => {
  const { deps, clock } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "for the team", recipients: [], views: 3 });
  assert.deepEqual([made.views, made.readTimes, viewsLeft(made)], [3, [], 3]);
  const secretKey = made.secretKey ?? "";
  assert.equal((await inspectSecret(deps, ANONYMOUS, secretKey)).viewsLeft, 3);

  const times: number[] = [];
  for (const left of [2, 1]) {
    clock.advance(10);
    times.push(deps.now());
    const revealed = await reveal(deps, ANONYMOUS, { secretKey });
    assert.deepEqual([revealed.value, revealed.viewsLeft], ["for the team", left]);
    const receipt = await showReceipt(deps, ANONYMOUS, made.metadataKey);
    assert.equal(receipt.live, true);
    assert.equal(receipt.state, "viewed");
    assert.deepEqual(receipt.readTimes, times);
    assert.deepEqual([viewsUsed(receipt), viewsLeft(receipt)], [3 - left, left]);
    assert.equal(receipt.secretKey, secretKey, "the link is still shown: it still works");
  }
  clock.advance(10);
  times.push(deps.now());
  const last = await reveal(deps, ANONYMOUS, { secretKey });
  assert.deepEqual([last.value, last.viewsLeft], ["for the team", 0]);
  await assert.rejects(reveal(deps, ANONYMOUS, { secretKey }), { code: "unknown_secret" });
  const receipt = await showReceipt(deps, ANONYMOUS, made.metadataKey);
  assert.deepEqual([receipt.state, receipt.live, receipt.receivedAt], ["received", false, times[2]]);
  assert.deepEqual(receipt.readTimes, times);
  assert.deepEqual([viewsUsed(receipt), viewsLeft(receipt)], [3, 0]);
});

test("without views a secret is read once, as before", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "once", recipients: [] });
  assert.equal(made.views, 1);
  const revealed = await reveal(deps, ANONYMOUS, { secretKey: made.secretKey ?? "" });
  assert.equal(revealed.viewsLeft, 0);
});

test("a wrong or missing passphrase spends no view; the right one is asked on every view", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, {
    secret: "guarded",
    passphrase: "right one",
    recipients: [],
    views: 2,
  });
  const secretKey = made.secretKey ?? "";
  for (const passphrase of ["wrong", undefined]) {
    await assert.rejects(reveal(deps, ANONYMOUS, { secretKey, passphrase }), { code: "wrong_passphrase" });
    assert.equal((await inspectSecret(deps, ANONYMOUS, secretKey)).viewsLeft, 2);
  }
  assert.equal((await reveal(deps, ANONYMOUS, { secretKey, passphrase: "right one" })).viewsLeft, 1);
  await assert.rejects(reveal(deps, ANONYMOUS, { secretKey }), { code: "wrong_passphrase" });
  await assert.rejects(reveal(deps, ANONYMOUS, { secretKey, passphrase: "wrong" }), {
    code: "wrong_passphrase",
  });
  assert.equal((await inspectSecret(deps, ANONYMOUS, secretKey)).viewsLeft, 1);
  assert.deepEqual((await showReceipt(deps, ANONYMOUS, made.metadataKey)).readTimes.length, 1);
  const last = await reveal(deps, ANONYMOUS, { secretKey, passphrase: "right one" });
  assert.deepEqual([last.value, last.viewsLeft], ["guarded", 0]);
});

test("zero knowledge: a wrong proof spends no view; the right proof opens each of the views", async (t) => {
  const { deps } = await actionsRuntime(t);
  const k = zk.newKey();
  const p = { passphrase: "zk words", ...zk.newKdf() };
  const { blob, proof } = await zk.seal("sealed for three", k, p);
  const made = await conceal(deps, ANONYMOUS, {
    client: { blob, proof, kdf: { salt: p.salt, iterations: p.iterations }, hasFile: false },
    recipients: [],
    views: 3,
  });
  const secretKey = made.secretKey ?? "";
  const wrong = await zk.proofFor(k, { ...p, passphrase: "other words" });
  for (const left of [2, 1, 0]) {
    await assert.rejects(reveal(deps, ANONYMOUS, { secretKey, proof: wrong }), { code: "wrong_passphrase" });
    const revealed = await reveal(deps, ANONYMOUS, { secretKey, proof });
    assert.equal(revealed.viewsLeft, left);
    assert.equal(await zk.open(revealed.blob ?? new Uint8Array(), k, p), "sealed for three");
  }
  const receipt = await showReceipt(deps, ANONYMOUS, made.metadataKey);
  assert.deepEqual([receipt.state, receipt.readTimes.length], ["received", 3]);
});

test("burn mid-way ends the receipt at once, keeping the reads made", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "cut short", recipients: [], views: 3 });
  const secretKey = made.secretKey ?? "";
  await reveal(deps, ANONYMOUS, { secretKey });
  const { receipt: burned } = await burn(deps, ANONYMOUS, { metadataKey: made.metadataKey });
  assert.deepEqual([burned.state, burned.readTimes.length, viewsLeft(burned)], ["burned", 1, 0]);
  await assert.rejects(reveal(deps, ANONYMOUS, { secretKey }), { code: "unknown_secret" });
});

test("racing reveals of a 3-view secret: exactly three get the text", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "three only", recipients: [], views: 3 });
  const secretKey = made.secretKey ?? "";
  const outcomes = await Promise.allSettled(
    Array.from({ length: 12 }, (_, i) => reveal(deps, { ip: `192.0.2.${i}`, account: null }, { secretKey })),
  );
  const read = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.viewsLeft] : []));
  assert.deepEqual(read.sort(), [0, 1, 2]);
});

test("views outside 1..ceiling are refused and store nothing; signed-in callers get the higher ceiling", async (t) => {
  const { deps, dataDir } = await actionsRuntime(t, { VIEWS_MAX: "5", VIEWS_MAX_ANONYMOUS: "2" });
  for (const views of [0, -1, 1.5, Number.NaN, 3]) {
    await refusedViews(conceal(deps, ANONYMOUS, { secret: "x", recipients: [], views }), 2);
  }
  await refusedViews(generate(deps, ANONYMOUS, { recipients: [], views: 3 }), 2);
  assert.equal(secretRows(dataDir).secrets, 0, "nothing was stored");
  assert.equal((await conceal(deps, ANONYMOUS, { secret: "x", recipients: [], views: 2 })).views, 2);

  const alice = await signedIn(deps, "alice@example.com");
  assert.equal((await conceal(deps, alice, { secret: "x", recipients: [], views: 5 })).views, 5);
  await refusedViews(conceal(deps, alice, { secret: "x", recipients: [], views: 6 }), 5);
  const generated = await generate(deps, alice, { recipients: [], views: 4 });
  assert.equal(generated.views, 4);
  const revealed = await reveal(deps, alice, { secretKey: generated.secretKey ?? "" });
  assert.deepEqual([revealed.value, revealed.viewsLeft], [generated.value, 3]);
});
