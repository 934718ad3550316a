import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SHARE_KEYS } from "../../../test/support/v1-support.js";
import { type ReceiptFacts, type ReceiptState, type ReceiptView, receiptView } from "../../domain/receipt.js";
import { burnObject, metadataObject, revealObject } from "./serialize.js";

// Times deliberately off whole seconds: every number must still come out as an integer.
const created = 1_700_000_000_250;
const now = created + 100_400;

function receipt(state: ReceiptState, extra: Partial<ReceiptFacts> = {}): ReceiptFacts {
  return {
    owner: null,
    state,
    hasPassphrase: false,
    encryption: "server",
    ttl: 3600,
    createdAt: created,
    updatedAt: created + 50_700,
    secretExpiresAt: created + 3_600_000,
    expiresAt: created + 7_200_000,
    receivedAt: state === "received" ? created + 90_900 : null,
    burnedAt: state === "burned" ? created + 90_900 : null,
    recipients: [],
    shareDomain: "",
    views: 1,
    readTimes: state === "received" ? [created + 90_900] : [],
    hasFile: false,
    ...extra,
  };
}

function view(state: ReceiptState, extra: Partial<ReceiptView> = {}): ReceiptView {
  return { ...receiptView(receipt(state), "m".repeat(31), "k".repeat(31)), ...extra };
}

const COMMON = { custid: "anon", metadata_key: "m".repeat(31), ttl: 3600, metadata_ttl: 7100 };
const TIMES = { updated: 1_700_000_050, created: 1_700_000_000 };
const TAIL = { recipient: [], share_domain: "" };

describe("metadataObject", () => {
  test("a live receipt has the secret key, its time left and passphrase_required", () => {
    for (const state of ["new", "viewed"] as const) {
      const out = metadataObject(view(state), { now });
      assert.deepEqual(Object.keys(out), SHARE_KEYS);
      assert.deepEqual(out, {
        ...COMMON,
        secret_key: "k".repeat(31),
        secret_ttl: 3500,
        state,
        ...TIMES,
        ...TAIL,
        passphrase_required: false,
      });
    }
  });

  test("received: no secret_key, no secret_ttl, a received time, no passphrase_required", () => {
    const out = metadataObject(view("received"), { now });
    assert.deepEqual(out, { ...COMMON, state: "received", ...TIMES, received: 1_700_000_091, ...TAIL });
  });

  test("burned, expired and orphaned: secret_key empty, secret_ttl null", () => {
    for (const state of ["burned", "expired", "orphaned"] as const) {
      const out = metadataObject(view(state), { now });
      assert.deepEqual(out, { ...COMMON, secret_key: "", secret_ttl: null, state, ...TIMES, ...TAIL }, state);
    }
  });

  test("a receipt that is not live shows no key, no time left, no passphrase flag", () => {
    const out = metadataObject(view("viewed", { secretKey: null, live: false }), { now });
    assert.equal(out.secret_key, "");
    assert.equal(out.secret_ttl, null);
    assert.equal("passphrase_required" in out, false);
  });

  test("recent items: no secret_key, secret_ttl null, no passphrase_required", () => {
    const live = metadataObject(view("new"), { now, listItem: true });
    assert.deepEqual(live, { ...COMMON, secret_ttl: null, state: "new", ...TIMES, ...TAIL });
    const received = metadataObject(view("received"), { now, listItem: true });
    assert.deepEqual(received, {
      ...COMMON,
      secret_ttl: null,
      state: "received",
      ...TIMES,
      received: 1_700_000_091,
      ...TAIL,
    });
  });

  test("generate: reports the given state and carries the value before passphrase_required", () => {
    const out = metadataObject(view("viewed", { value: "Xy7#kP2m$Qa9", state: "new" }), { now });
    assert.equal(out.state, "new");
    assert.equal(out.value, "Xy7#kP2m$Qa9");
    assert.deepEqual(Object.keys(out).slice(-2), ["value", "passphrase_required"]);
    assert.equal("value" in metadataObject(view("viewed"), { now }), false);
  });

  test("owner, recipients, share domain and passphrase flag come from the receipt", () => {
    const r = receipt("new", {
      owner: "bob@example.com",
      recipients: ["fo*****@e*****.com"],
      shareDomain: "secrets.example.com",
      hasPassphrase: true,
    });
    const out = metadataObject(receiptView(r, "m".repeat(31), "k".repeat(31)), { now });
    assert.equal(out.custid, "bob@example.com");
    assert.deepEqual(out.recipient, ["fo*****@e*****.com"]);
    assert.equal(out.share_domain, "secrets.example.com");
    assert.equal(out.passphrase_required, true);
  });

  test("every number is a non-negative integer, even past the expiry times", () => {
    for (const at of [now, created + 3_600_001, created + 7_300_000]) {
      for (const state of ["new", "received", "burned"] as const) {
        const out = metadataObject(view(state), { now: at });
        for (const [name, value] of Object.entries(out)) {
          if (typeof value === "number") assert.ok(Number.isInteger(value) && value >= 0, `${name}=${value}`);
        }
      }
    }
  });
});

describe("burnObject", () => {
  test("wraps the burned receipt without passphrase_required, with a 6-character short key", () => {
    const out = burnObject({ receipt: view("burned"), secretKey: "abcdef123456" }, now);
    assert.deepEqual(out, {
      state: { ...COMMON, secret_key: "", secret_ttl: null, state: "burned", ...TIMES, ...TAIL },
      secret_shortkey: "abcdef",
    });
  });
});

describe("revealObject", () => {
  test("gives the value, the key and the link's origin", () => {
    const revealed = { value: "hello", secretKey: "k".repeat(31), shareDomain: "" };
    const origin = { scheme: "https", host: "onetime.example" } as const;
    assert.deepEqual(revealObject(revealed, origin), {
      value: "hello",
      secret_key: "k".repeat(31),
      share_domain: "https://onetime.example",
    });
    const custom = revealObject({ ...revealed, shareDomain: "secrets.example.com" }, origin);
    assert.equal(custom.share_domain, "https://secrets.example.com");
  });
});
