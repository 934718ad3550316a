import assert from "node:assert/strict";
import { test } from "node:test";
import { HashQueue, QueueFull } from "./hash-queue.js";

/** A job the test finishes by hand, recording when it started. */
function gate(started: string[], name: string) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    job: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test("waiting runs are served round robin across clients, not in arrival order", async () => {
  const q = new HashQueue({ concurrency: 1, max: 100, perClient: 100 });
  const started: string[] = [];
  const jobs = ["a1", "a2", "a3", "a4", "b1", "c1", "b2"].map((name) => ({ name, ...gate(started, name) }));
  const runs = jobs.map((j) => q.run(j.name.slice(0, 1), j.job));
  for (const j of jobs) {
    await tick();
    j.finish();
  }
  await Promise.all(runs);
  assert.deepEqual(started, ["a1", "a2", "b1", "c1", "a3", "b2", "a4"]);
  assert.equal(q.load(), 0);
});

test("past its share a client is refused at once; others still get in; the share comes back", async () => {
  const q = new HashQueue({ concurrency: 1, max: 10, perClient: 2 });
  const started: string[] = [];
  const a1 = gate(started, "a1");
  const a2 = gate(started, "a2");
  const first = q.run("a", a1.job);
  const second = q.run("a", a2.job);
  await assert.rejects(
    q.run("a", async () => "a3"),
    (e) => e instanceof QueueFull && e.scope === "client",
  );
  const b = q.run("b", async () => "b1");
  assert.equal(q.load("a"), 2);
  a1.finish();
  a2.finish();
  assert.deepEqual(await Promise.all([first, second, b]), ["a1", "a2", "b1"]);
  assert.equal(await q.run("a", async () => "again"), "again");
});

test("with the server full, anyone is refused as 'server', with a Retry-After of at least 1 s", async () => {
  const q = new HashQueue({ concurrency: 1, max: 2, perClient: 2 });
  const started: string[] = [];
  const a = gate(started, "a");
  const b = gate(started, "b");
  const runs = [q.run("a", a.job), q.run("b", b.job)];
  await assert.rejects(
    q.run("c", async () => "c"),
    (e) => e instanceof QueueFull && e.scope === "server" && e.retryAfterSeconds >= 1,
  );
  // Work a refusal would leave half done waits its turn instead.
  const unbounded = q.run("c", async () => "c", { bounded: false });
  a.finish();
  b.finish();
  assert.deepEqual(await Promise.all([...runs, unbounded]), ["a", "b", "c"]);
});

test("a run that throws gives its place back", async () => {
  const q = new HashQueue({ concurrency: 1, max: 1, perClient: 1 });
  await assert.rejects(
    q.run("a", async () => {
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(q.load(), 0);
  assert.equal(await q.run("a", async () => 1), 1);
});
