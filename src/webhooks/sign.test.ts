import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, test } from "node:test";
import { newEndpointSecret, signWebhook, verifyWebhook } from "./sign.js";

const secret = newEndpointSecret();
const id = "evt_01HZX3";
const now = 1_764_760_000;
const body = '{"type":"secret.read","data":{"receipt":"abc123","state":"received"}}';

describe("newEndpointSecret", () => {
  test("whsec_ then the base64 of 32 random bytes, different each time", () => {
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(secret.slice(6), "base64").length, 32);
    assert.notEqual(newEndpointSecret(), secret);
  });
});

describe("signWebhook", () => {
  test("the three Standard Webhooks headers, the MAC over id.timestamp.body under the decoded key", () => {
    const headers = signWebhook(secret, id, now, body);
    assert.deepEqual(Object.keys(headers).sort(), ["webhook-id", "webhook-signature", "webhook-timestamp"]);
    assert.equal(headers["webhook-id"], id);
    assert.equal(headers["webhook-timestamp"], String(now));
    const key = Buffer.from(secret.slice(6), "base64");
    const expected = createHmac("sha256", key).update(`${id}.${now}.${body}`).digest("base64");
    assert.equal(headers["webhook-signature"], `v1,${expected}`);
  });

  test("refuses a secret it did not make and a timestamp that is not whole seconds", () => {
    assert.throws(() => signWebhook("hunter2", id, now, body));
    assert.throws(() => signWebhook("whsec_c2hvcnQ=", id, now, body));
    assert.throws(() => signWebhook(secret, id, now + 0.5, body));
  });
});

describe("verifyWebhook", () => {
  const headers = signWebhook(secret, id, now, body);

  test("accepts its own signature, within the tolerance either way", () => {
    assert.equal(verifyWebhook(secret, headers, body, now), true);
    assert.equal(verifyWebhook(secret, headers, body, now + 300), true);
    assert.equal(verifyWebhook(secret, headers, body, now - 300), true);
  });

  test("rejects a tampered body, id or timestamp", () => {
    assert.equal(verifyWebhook(secret, headers, body.replace("received", "burned"), now), false);
    assert.equal(verifyWebhook(secret, headers, `${body} `, now), false);
    assert.equal(verifyWebhook(secret, { ...headers, "webhook-id": "evt_other" }, body, now), false);
    assert.equal(
      verifyWebhook(secret, { ...headers, "webhook-timestamp": String(now + 1) }, body, now),
      false,
    );
  });

  test("rejects a wrong secret", () => {
    assert.equal(verifyWebhook(newEndpointSecret(), headers, body, now), false);
    assert.equal(verifyWebhook("not-a-secret", headers, body, now), false);
  });

  test("rejects a stale or future timestamp even with a valid signature", () => {
    assert.equal(verifyWebhook(secret, headers, body, now + 301), false);
    assert.equal(verifyWebhook(secret, headers, body, now - 301), false);
    assert.equal(verifyWebhook(secret, headers, body, now + 60, 30), false);
  });

  test("accepts any one valid v1 signature among several, ignores other versions", () => {
    const valid = headers["webhook-signature"] as string;
    const other = signWebhook(newEndpointSecret(), id, now, body)["webhook-signature"];
    const v2 = valid.replace("v1,", "v2,");
    assert.equal(
      verifyWebhook(secret, { ...headers, "webhook-signature": `${other} ${valid}` }, body, now),
      true,
    );
    assert.equal(
      verifyWebhook(secret, { ...headers, "webhook-signature": `${other} ${v2}` }, body, now),
      false,
    );
  });

  test("rejects missing headers and malformed values", () => {
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
      assert.equal(verifyWebhook(secret, { ...headers, [name]: undefined }, body, now), false, name);
    }
    for (const signature of ["", "v1", "v1,", "v1,AAAA", "garbage"]) {
      assert.equal(verifyWebhook(secret, { ...headers, "webhook-signature": signature }, body, now), false);
    }
    for (const timestamp of ["", "-1", "1e9", " 1764760000", "0x1"]) {
      assert.equal(verifyWebhook(secret, { ...headers, "webhook-timestamp": timestamp }, body, now), false);
    }
  });
});
