import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, it } from "node:test";
import { newKey } from "./ids.js";
import { deriveServerKeys } from "./keys.js";
import * as rq from "./request-key.js";
import { isRequesterPublicKey } from "./request-vault.js";
import { createVault } from "./vault.js";

const vault = createVault(deriveServerKeys(randomBytes(32))).requests;
const otherServer = createVault(deriveServerKeys(randomBytes(32))).requests;

describe("request vault", () => {
  it("the request link's key is a bearer key of its own, one way from the requester link's", () => {
    const m = newKey();
    const r = vault.linkKey(m);
    assert.match(r, /^[0-9a-z]{31}$/);
    assert.equal(vault.linkKey(m), r);
    assert.notEqual(r, m);
    assert.notEqual(otherServer.linkKey(m), r);
    assert.match(vault.requestId(r), /^[0-9a-f]{64}$/);
  });

  it("the note opens with the request link's key only", () => {
    const r = newKey();
    const id = vault.requestId(r);
    const sealed = vault.sealNote(r, id, "the staging DB password");
    assert.equal(vault.openNote(r, id, sealed), "the staging DB password");
    assert.equal(vault.openNote(newKey(), id, sealed), null);
    assert.equal(vault.openNote(r, vault.requestId(newKey()), sealed), null);
  });

  it("an answer's metadata key opens with the requester link's key, not the request link's", () => {
    const m = newKey();
    const r = vault.linkKey(m);
    const id = vault.requestId(r);
    const answerKey = vault.answerKey(m, id);
    assert.equal(answerKey.length, 32);
    const receiptId = randomBytes(32).toString("hex");
    const metadataKey = newKey();
    const sealed = vault.sealAnswer(answerKey, id, receiptId, metadataKey);
    assert.equal(vault.openAnswer(m, id, receiptId, sealed), metadataKey);
    assert.equal(vault.openAnswer(r, id, receiptId, sealed), null);
    assert.equal(vault.openAnswer(newKey(), id, receiptId, sealed), null);
    assert.equal(vault.openAnswer(m, id, randomBytes(32).toString("hex"), sealed), null);
    assert.equal(otherServer.openAnswer(m, id, receiptId, sealed), null);
    // Two seals of one key differ (a fresh ephemeral key each time).
    assert.notDeepEqual(vault.sealAnswer(answerKey, id, receiptId, metadataKey), sealed);
  });

  it("the manage key in the list opens with the list key, bound to its request", () => {
    const listKey = randomBytes(32);
    const m = newKey();
    const sealed = vault.sealManageKey(listKey, "a", m);
    assert.equal(vault.openManageKey(listKey, "a", sealed), m);
    assert.equal(vault.openManageKey(listKey, "b", sealed), null);
    assert.equal(vault.openManageKey(randomBytes(32), "a", sealed), null);
  });

  it("checks a requester's public key is a point on P-256", async () => {
    const { publicKey } = await rq.newRequesterKeys();
    assert.equal(isRequesterPublicKey(publicKey), true);
    const off = publicKey.slice();
    off[64] = (off[64] ?? 0) ^ 1;
    assert.equal(isRequesterPublicKey(off), false);
    assert.equal(isRequesterPublicKey(publicKey.subarray(1)), false);
  });
});
