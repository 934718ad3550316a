import assert from "node:assert/strict";
import { after, test } from "node:test";
import { createClient } from "redis";
import { startRedis } from "../../test/support/redis-server.js";
import { storeContract } from "../../test/support/store-contract.js";
import { HOUR, hex, newAccount, put } from "../../test/support/store-contract-fixtures.js";
import { redisKeys } from "./redis/keys.js";
import { openRedisStore } from "./redis.js";

// The same contract suite as SQLite, against a real redis-server spawned on a free port. Each
// store gets its own key prefix, so tests never see each other's rows.
const redis = await startRedis();
let n = 0;

storeContract("redis", async () => {
  const store = await openRedisStore({ url: redis.url, prefix: `t${n++}` });
  return { store, cleanup: () => store.close() };
});

after(() => redis.kill());

test("redis: an account's deletion writes in one script, whatever it holds", async () => {
  const store = await openRedisStore({ url: redis.url, prefix: `t${n++}` });
  const monitor = createClient({ url: redis.url });
  const probe = createClient({ url: redis.url });
  await Promise.all([monitor.connect(), probe.connect()]);
  try {
    const now = Date.now();
    const account = await newAccount(store, now);
    for (let i = 0; i < 3; i++) await put(store, now, { owner: account.id });
    for (let i = 0; i < 2; i++) {
      const session = {
        id: hex(),
        accountId: account.id,
        sealedListKey: null,
        createdAt: now,
        expiresAt: now + HOUR,
      };
      await store.accounts.createSession(session);
    }

    // MONITOR lists every command in the order Redis ran it; markers sent by another client bound
    // the deletion's commands. Commands run by a script show as from "lua" and are left out.
    const seen: string[] = [];
    const marker = (name: string) =>
      new Promise<void>((resolve) => {
        waiting.set(name, resolve);
        void probe.get(name);
      });
    const waiting = new Map<string, () => void>();
    await monitor.monitor((line: string) => {
      for (const [name, resolve] of waiting) if (line.includes(name)) resolve();
      if (!line.includes(" lua]")) seen.push(line);
    });
    const start = `start-${hex()}`;
    const end = `end-${hex()}`;
    await marker(start);
    assert.equal(await store.accounts.delete(account.id), true);
    await marker(end);

    const from = seen.findIndex((l) => l.includes(start));
    const to = seen.findIndex((l) => l.includes(end));
    const commands = seen.slice(from + 1, to).map((l) => /"([A-Za-z]+)"/.exec(l)?.[1]?.toUpperCase());
    const reads = new Set(["ZRANGE", "SMEMBERS", "GET"]);
    const writes = commands.filter((c) => c === undefined || !reads.has(c));
    // EVALSHA, or EVALSHA then EVAL the first time the server meets the script (NOSCRIPT).
    assert.ok(writes.length >= 1 && writes.every((c) => c === "EVALSHA" || c === "EVAL"), writes.join(" "));
    assert.equal(writes.filter((c) => c === "EVAL").length <= 1, true);
  } finally {
    await Promise.all([monitor.close(), probe.close()]);
    await store.close();
  }
});

test("redis: hashes made before view limits read as one view, without a file, and their take ends them", async () => {
  const prefix = `t${n++}`;
  const store = await openRedisStore({ url: redis.url, prefix });
  const raw = createClient({ url: redis.url });
  await raw.connect();
  try {
    const keys = redisKeys(prefix);
    const now = Date.now();
    const old = async () => {
      const { secret, receipt } = await put(store, now, { views: 3, hasFile: true });
      await raw.hDel(keys.secret(secret.id), ["views_left", "has_file"]);
      await raw.hDel(keys.receipt(secret.id), ["views", "read_times", "has_file"]);
      return { secret, receipt };
    };
    const live = await old();
    const header = await store.secrets.peek(live.secret.id, now);
    assert.deepEqual([header?.viewsLeft, header?.hasFile], [1, false]);
    const receipt = await store.secrets.getReceipt(live.receipt.id, now);
    assert.deepEqual([receipt?.views, receipt?.readTimes, receipt?.hasFile], [1, [], false]);
    assert.equal((await store.secrets.take(live.secret.id, now + 1))?.viewsLeft, 0);
    assert.equal(await store.secrets.take(live.secret.id, now + 1), null);
    const read = await store.secrets.getReceipt(live.receipt.id, now + 1);
    assert.deepEqual([read?.state, read?.receivedAt, read?.readTimes], ["received", now + 1, [now + 1]]);

    // A receipt received before view limits: its one read time is its received_at.
    const received = await put(store, now);
    await store.secrets.take(received.secret.id, now + 5);
    await raw.hDel(keys.receipt(received.secret.id), ["views", "read_times"]);
    const before = await store.secrets.getReceipt(received.receipt.id, now + 6);
    assert.deepEqual([before?.views, before?.readTimes], [1, [now + 5]]);
  } finally {
    await raw.close();
    await store.close();
  }
});
