import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { newKey, newToken } from "./ids.js";
import { deriveServerKeys } from "./keys.js";
import { createVault } from "./vault.js";

const vault = createVault(deriveServerKeys(randomBytes(32)));
const HEX64 = /^[0-9a-f]{64}$/;

describe("ids", () => {
  test("are 64 hex characters, distinct per purpose, and never contain the key", () => {
    const key = newKey();
    const ids = [vault.secretId(key), vault.receiptId(key), vault.accountId(key)];
    for (const id of ids) {
      assert.match(id, HEX64);
      assert.equal(id.includes(key), false);
    }
    assert.equal(new Set(ids).size, 3);
    assert.equal(vault.secretId(key), vault.secretId(key));
  });

  test("account ids ignore the case of the email", () => {
    assert.equal(vault.accountId("Bob@Example.com"), vault.accountId("bob@example.com"));
  });

  test("subjects are short pseudonyms", () => {
    assert.match(vault.subject("192.0.2.1"), /^[0-9a-f]{32}$/);
    assert.notEqual(vault.subject("192.0.2.1"), vault.subject("192.0.2.2"));
  });
});

describe("secrets", () => {
  test("seal, unlock and open round-trip; the store's copy holds no plaintext", async () => {
    const key = newKey();
    const sealed = await vault.sealSecret(key, "hunter2 ✓", undefined);
    assert.equal(sealed.id, vault.secretId(key));
    assert.equal(sealed.passphraseSalt, null);
    assert.equal(sealed.ciphertext.includes(Buffer.from("hunter2")), false);
    const contentKey = await vault.unlockSecret(sealed, key, undefined);
    assert.ok(contentKey !== null);
    assert.equal(vault.openSecret(contentKey, sealed), "hunter2 ✓");
  });

  test("bytes (a file's envelope) seal and open byte for byte; a text seals as its UTF-8 bytes would", async () => {
    const key = newKey();
    const bytes = Uint8Array.from({ length: 512 }, (_, i) => i & 0xff);
    const sealed = await vault.sealSecret(key, bytes.subarray(256), "pass");
    const contentKey = await vault.unlockSecret(sealed, key, "pass");
    assert.ok(contentKey !== null);
    assert.deepEqual(vault.openSecretBytes(contentKey, sealed), Buffer.from(bytes.subarray(256)));
    // The same kind of ciphertext either way: a text secret is stored exactly as before files.
    const asText = await vault.sealSecret(key, "hunter2 ✓", undefined);
    const asBytes = await vault.sealSecret(key, new TextEncoder().encode("hunter2 ✓"), undefined);
    assert.equal(asText.ciphertext.length, asBytes.ciphertext.length);
    const k = await vault.unlockSecret(asBytes, key, undefined);
    assert.ok(k !== null);
    assert.equal(vault.openSecret(k, asBytes), "hunter2 ✓");
    assert.deepEqual(vault.openSecretBytes(k, asText), Buffer.from("hunter2 ✓"));
  });

  test("a tampered ciphertext or a moved row opens nothing", async () => {
    const key = newKey();
    const sealed = await vault.sealSecret(key, "hello", undefined);
    const contentKey = await vault.unlockSecret(sealed, key, undefined);
    assert.ok(contentKey !== null);
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] as number) ^ 0x80;
    assert.equal(vault.openSecret(contentKey, { ...sealed, ciphertext: tampered }), null);
    assert.equal(vault.openSecret(contentKey, { ...sealed, id: vault.secretId(newKey()) }), null);
  });

  test("the wrong secret key unlocks nothing", async () => {
    const sealed = await vault.sealSecret(newKey(), "hello", undefined);
    assert.equal(await vault.unlockSecret(sealed, newKey(), undefined), null);
  });

  test("a passphrase is needed, and only the right one unlocks", async () => {
    const key = newKey();
    const sealed = await vault.sealSecret(key, "hello", "correct horse");
    assert.ok(sealed.passphraseSalt !== null);
    assert.equal(await vault.unlockSecret(sealed, key, undefined), null);
    assert.equal(await vault.unlockSecret(sealed, key, ""), null);
    assert.equal(await vault.unlockSecret(sealed, key, "correct horse "), null);
    const contentKey = await vault.unlockSecret(sealed, key, "correct horse");
    assert.ok(contentKey !== null);
    assert.equal(vault.openSecret(contentKey, sealed), "hello");
  });

  test("a vault with another root gives other ids and unlocks nothing", async () => {
    const other = createVault(deriveServerKeys(randomBytes(32)));
    const key = newKey();
    assert.notEqual(other.secretId(key), vault.secretId(key));
    assert.notEqual(other.receiptId(key), vault.receiptId(key));
    const sealed = await vault.sealSecret(key, "hello", undefined);
    assert.equal(await other.unlockSecret(sealed, key, undefined), null);
    const theirs = await other.sealSecret(key, "hello", undefined);
    assert.equal(await vault.unlockSecret(theirs, key, undefined), null);
  });
});

describe("receipt and list keys", () => {
  test("the secret key sealed on a receipt opens only with its metadata key and row", () => {
    const metadataKey = newKey();
    const secretKey = newKey();
    const receiptId = vault.receiptId(metadataKey);
    const sealed = vault.sealSecretKey(metadataKey, receiptId, secretKey);
    assert.equal(sealed.includes(Buffer.from(secretKey)), false);
    assert.equal(vault.openSecretKey(metadataKey, receiptId, sealed), secretKey);
    assert.equal(vault.openSecretKey(newKey(), receiptId, sealed), null);
    assert.equal(vault.openSecretKey(metadataKey, vault.receiptId(newKey()), sealed), null);
  });

  test("a list key unwraps only with the token it was wrapped under", () => {
    const token = newToken();
    const accountId = vault.accountId("bob@example.com");
    const listKey = vault.newListKey();
    assert.equal(listKey.length, 32);
    const wrapped = vault.wrapListKey(token, accountId, listKey);
    assert.deepEqual(vault.unwrapListKey(token, accountId, wrapped), listKey);
    assert.equal(vault.unwrapListKey(newToken(), accountId, wrapped), null);
    assert.equal(vault.unwrapListKey(token, vault.accountId("eve@example.com"), wrapped), null);
  });

  test("a metadata key sealed in a list opens only with that list key and row", () => {
    const listKey = vault.newListKey();
    const metadataKey = newKey();
    const receiptId = vault.receiptId(metadataKey);
    const sealed = vault.sealMetadataKey(listKey, receiptId, metadataKey);
    assert.equal(vault.openMetadataKey(listKey, receiptId, sealed), metadataKey);
    assert.equal(vault.openMetadataKey(vault.newListKey(), receiptId, sealed), null);
    assert.equal(vault.openMetadataKey(listKey, vault.receiptId(newKey()), sealed), null);
  });

  test("token hashes are stable and keyed", () => {
    const token = newToken();
    const other = createVault(deriveServerKeys(randomBytes(32)));
    assert.deepEqual(vault.tokenHash(token), vault.tokenHash(token));
    assert.notDeepEqual(vault.tokenHash(token), vault.tokenHash(newToken()));
    assert.notDeepEqual(other.tokenHash(token), vault.tokenHash(token));
  });
});
