import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { storeContract } from "../../test/store-contract.js";
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
    const id = "s".repeat(64);
    const receiptId = "r".repeat(64);
    await a.createSecret(
      {
        id,
        receiptId,
        ciphertext: Buffer.from("sealed"),
        verifier: Buffer.alloc(32),
        passphraseSalt: null,
        shareDomain: "",
        createdAt: now,
        expiresAt: now + 60_000,
      },
      {
        id: receiptId,
        secretId: id,
        sealedSecretKey: Buffer.from("sealed key"),
        owner: null,
        state: "new",
        kind: "conceal",
        hasPassphrase: false,
        ttl: 60,
        createdAt: now,
        updatedAt: now,
        secretExpiresAt: now + 60_000,
        expiresAt: now + 120_000,
        receivedAt: null,
        burnedAt: null,
        recipients: [],
        shareDomain: "",
      },
      null,
    );
    assert.ok((await b.peekSecret(id, now)) !== null);
    const results = await Promise.all([a.takeSecret(id, now), b.takeSecret(id, now), a.burn(receiptId, now)]);
    assert.equal(results.filter((r) => r !== null).length, 1);
    assert.equal((await b.getReceipt(receiptId, now))?.state, "received");
  } finally {
    await a.close();
    await b.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
