import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { storeContract } from "../../test/store-contract.js";
import { put } from "../../test/store-contract-fixtures.js";
import { openSqliteStore } from "./sqlite.js";

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "onetime-sqlite-"));
}

storeContract("sqlite", async () => {
  const dataDir = tempDir();
  const store = openSqliteStore({ dataDir });
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});

test("sqlite: two connections on one data directory see one take", async () => {
  const dataDir = tempDir();
  const a = openSqliteStore({ dataDir });
  const b = openSqliteStore({ dataDir });
  try {
    const now = Date.now();
    const { secret, receipt } = await put(a, now);
    assert.ok((await b.secrets.peek(secret.id, now)) !== null);
    const results = await Promise.all([
      a.secrets.take(secret.id, now),
      b.secrets.take(secret.id, now),
      a.secrets.burn(receipt.id, now),
    ]);
    assert.equal(results.filter((r) => r !== null).length, 1);
    assert.equal((await b.secrets.getReceipt(receipt.id, now))?.state, "received");
  } finally {
    await a.close();
    await b.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
