import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  isLive,
  LIVE_STATES,
  listedState,
  type ReceiptFacts,
  type ReceiptState,
  receiptView,
  stateAfterLook,
  stateTime,
} from "./receipt.js";

const ALL: ReceiptState[] = ["new", "viewed", "received", "burned", "expired", "orphaned"];
const created = 1_700_000_000_000;
const secretExpiresAt = created + 3_600_000;

function facts(state: ReceiptState): ReceiptFacts {
  return {
    owner: "bob@example.com",
    state,
    hasPassphrase: true,
    encryption: "server",
    ttl: 3600,
    createdAt: created,
    updatedAt: created + 1000,
    secretExpiresAt,
    expiresAt: created + 7_200_000,
    receivedAt: state === "received" ? created + 2000 : null,
    burnedAt: state === "burned" ? created + 3000 : null,
    recipients: ["fo*****@e*****.com"],
    shareDomain: "",
    views: 1,
    readTimes: state === "received" ? [created + 2000] : [],
    hasFile: false,
  };
}

describe("receipt states", () => {
  test("new and viewed are live; the other four are final", () => {
    assert.deepEqual(
      ALL.filter((s) => isLive(s)),
      ["new", "viewed"],
    );
    assert.deepEqual([...LIVE_STATES], ["new", "viewed"]);
  });

  test("a look finds the secret: viewed, whatever the clock says", () => {
    assert.equal(stateAfterLook(true, secretExpiresAt, created), "viewed");
    // A store that has not swept yet still holds it: the look is what counts.
    assert.equal(stateAfterLook(true, secretExpiresAt, secretExpiresAt + 1), "viewed");
  });

  test("a look misses the secret: expired from its TTL on, orphaned before", () => {
    assert.equal(stateAfterLook(false, secretExpiresAt, secretExpiresAt), "expired");
    assert.equal(stateAfterLook(false, secretExpiresAt, secretExpiresAt + 1), "expired");
    assert.equal(stateAfterLook(false, secretExpiresAt, secretExpiresAt - 1), "orphaned");
  });

  test("a list reads a live receipt past its secret's TTL as expired, and leaves final states alone", () => {
    for (const state of ["new", "viewed"] as const) {
      assert.equal(listedState(state, secretExpiresAt, secretExpiresAt - 1), state);
      assert.equal(listedState(state, secretExpiresAt, secretExpiresAt), "expired");
    }
    for (const state of ["received", "burned", "orphaned", "expired"] as const) {
      assert.equal(listedState(state, secretExpiresAt, secretExpiresAt + 1), state);
    }
  });
});

describe("receiptView", () => {
  test("a live receipt carries its share key", () => {
    for (const state of ["new", "viewed"] as const) {
      const view = receiptView(facts(state), "m".repeat(31), "k".repeat(31));
      assert.equal(view.live, true);
      assert.equal(view.secretKey, "k".repeat(31));
      assert.equal(view.state, state);
    }
  });

  test("a final receipt is not live and never carries a share key, even when given one", () => {
    for (const state of ["received", "burned", "expired", "orphaned"] as const) {
      const view = receiptView(facts(state), "m".repeat(31), "k".repeat(31));
      assert.equal(view.live, false, state);
      assert.equal(view.secretKey, null, state);
    }
  });

  test("copies the facts and leaves out whatever else a stored row holds (ids, the sealed key)", () => {
    const row = {
      ...facts("new"),
      id: "r".repeat(64),
      secretId: "s".repeat(64),
      sealedSecretKey: Buffer.from("sealed"),
      kind: "conceal" as const,
    };
    const view = receiptView(row, "m".repeat(31), null);
    assert.deepEqual(view, {
      ...facts("new"),
      metadataKey: "m".repeat(31),
      live: true,
      secretKey: null,
      kind: "conceal",
    });
    for (const name of ["id", "secretId", "sealedSecretKey"]) assert.equal(name in view, false, name);
  });
});

describe("stateTime", () => {
  test("names when the secret was received, burned or expired; nothing for the other states", () => {
    assert.equal(stateTime(facts("received")), created + 2000);
    assert.equal(stateTime(facts("burned")), created + 3000);
    assert.equal(stateTime(facts("expired")), secretExpiresAt);
    for (const state of ["new", "viewed", "orphaned"] as const) assert.equal(stateTime(facts(state)), null);
  });
});
