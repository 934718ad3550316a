import assert from "node:assert/strict";
import { createECDH, hkdfSync } from "node:crypto";
import { describe, it } from "node:test";
import { REQUEST_VECTORS } from "../../test/support/request-vectors.js";
import * as rq from "./request-key.js";
import * as zk from "./zk.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const unhex = (s: string) => new Uint8Array(Buffer.from(s, "hex"));

describe("request key agreement (WebCrypto in Node)", () => {
  for (const v of REQUEST_VECTORS) {
    it(`vector ${v.name}: both sides derive the fixture's k`, async () => {
      const requesterPublic = rq.decodePublicKey(`#${v.requester_public_b64url}`);
      assert.equal(hex(rq.publicOfPrivate(unhex(v.requester_private))), hex(requesterPublic));
      const sender = await rq.answerKeyWith(requesterPublic, unhex(v.ephemeral_private));
      assert.equal(hex(sender.senderKey), v.sender_key);
      assert.equal(hex(sender.k), v.k);
      const opened = await rq.openAnswerKey(unhex(v.requester_private), unhex(v.sender_key));
      assert.equal(hex(opened), v.k);
    });
  }

  it("a fresh pair: the sender's k opens for the requester only; a zk secret sealed with it too", async () => {
    const requester = await rq.newRequesterKeys();
    const other = await rq.newRequesterKeys();
    assert.equal(requester.publicKey.length, 65);
    assert.equal(requester.privateKey.length, 96);
    assert.equal(rq.encodeRequestKey(requester.publicKey).length, 87);
    assert.equal(rq.encodeRequestKey(requester.privateKey).length, 128);
    const { k, senderKey } = await rq.answerKey(requester.publicKey);
    const sealed = await zk.seal("the staging DB password", k);
    const mine = await rq.openAnswerKey(requester.privateKey, senderKey);
    assert.equal(await zk.open(sealed.blob, mine), "the staging DB password");
    const theirs = await rq.openAnswerKey(other.privateKey, senderKey);
    assert.notEqual(hex(theirs), hex(k));
    await assert.rejects(zk.open(sealed.blob, theirs), /wrong key/);
  });

  it("agrees with node:crypto's ECDH and HKDF on a fresh pair (a second implementation)", async () => {
    const requester = await rq.newRequesterKeys();
    const { k, senderKey } = await rq.answerKey(requester.publicKey);
    const ecdh = createECDH("prime256v1");
    ecdh.setPrivateKey(Buffer.from(requester.privateKey.subarray(0, 32)));
    const shared = ecdh.computeSecret(Buffer.from(senderKey));
    const salt = Buffer.concat([senderKey, requester.publicKey]);
    assert.equal(hex(new Uint8Array(hkdfSync("sha256", shared, salt, "onetime request v1", 32))), hex(k));
  });

  it("refuses malformed keys: wrong lengths, a point off the curve, a private key whose x,y do not match d", async () => {
    assert.throws(() => rq.decodePublicKey("abc"), /public key/);
    assert.throws(() => rq.decodePrivateKey(rq.encodeRequestKey(new Uint8Array(65))), /private key/);
    const { publicKey, privateKey } = await rq.newRequesterKeys();
    const off = publicKey.slice();
    off[64] = (off[64] ?? 0) ^ 1;
    await assert.rejects(rq.answerKey(off));
    const other = await rq.newRequesterKeys();
    const mixed = new Uint8Array([...privateKey.subarray(0, 32), ...other.privateKey.subarray(32)]);
    await assert.rejects(rq.openAnswerKey(mixed, publicKey));
  });
});
