// The secret actions called directly, as every surface calls them: create, reveal and burn on the
// runtime the server builds (a real SQLite store in a temporary directory), with a manual clock.
// What they promise, independent of any wire format: a reveal or burn that fails consumes nothing,
// a secret is read at most once, a burn asks for the passphrase except from its signed-in creator
// on the web, and an expired secret is gone.
import assert from "node:assert/strict";
import { test } from "node:test";
import { burn } from "../src/actions/burn.js";
import { conceal, generate } from "../src/actions/create.js";
import type { Caller, Deps } from "../src/actions/deps.js";
import { inspectSecret } from "../src/actions/inspect.js";
import { showReceipt } from "../src/actions/receipt.js";
import { reveal } from "../src/actions/reveal.js";
import type { ErrorCode } from "../src/domain/errors.js";
import { actionsRuntime, secretRows, signedIn } from "./support/actions.js";

const ANONYMOUS: Caller = { ip: "192.0.2.10", account: null };
const OTHER_IP: Caller = { ip: "192.0.2.20", account: null };

/** Expects `attempt` to fail with the AppError `code`. */
function failsWith(attempt: Promise<unknown>, code: ErrorCode, message?: string) {
  return assert.rejects(attempt, { name: "AppError", code }, message);
}

/** Whether the store still holds the secret of `secretKey` (read past every action). */
async function stored(deps: Deps, secretKey: string): Promise<boolean> {
  return (await deps.store.secrets.peek(deps.vault.secretId(secretKey), deps.now())) !== null;
}

test("create then reveal: the text once, to the first caller; the second is told it is unknown", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "line one\nline two", recipients: [] });
  assert.equal(made.state, "new");
  assert.equal(made.live, true);
  assert.ok(made.secretKey !== null);
  const secretKey = made.secretKey;

  const first = await reveal(deps, ANONYMOUS, { secretKey });
  assert.deepEqual(first, {
    value: "line one\nline two",
    file: null,
    hasFile: false,
    blob: null,
    encryption: "server",
    kdf: null,
    secretKey,
    shareDomain: "",
    hasPassphrase: false,
    createdAt: made.createdAt,
    expiresAt: made.secretExpiresAt,
    viewsLeft: 0,
  });
  assert.equal(await stored(deps, secretKey), false, "the take removed the row");
  await failsWith(reveal(deps, OTHER_IP, { secretKey }), "unknown_secret");
  await failsWith(reveal(deps, ANONYMOUS, { secretKey }), "unknown_secret");

  const receipt = await showReceipt(deps, ANONYMOUS, made.metadataKey);
  assert.equal(receipt.state, "received");
  assert.equal(receipt.secretKey, null, "a read secret's key is no longer handed out");
});

test("two reveals at once: exactly one gets the text", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "only once", recipients: [] });
  const secretKey = made.secretKey ?? "";
  const outcomes = await Promise.allSettled(
    Array.from({ length: 8 }, (_, i) => reveal(deps, { ip: `192.0.2.${i}`, account: null }, { secretKey })),
  );
  const values = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value.value] : []));
  assert.deepEqual(values, ["only once"]);
  for (const o of outcomes) {
    if (o.status === "rejected") assert.equal((o.reason as { code?: string }).code, "unknown_secret");
  }
});

test("a reveal with a wrong or missing passphrase consumes nothing; the right one then reads it", async (t) => {
  const { deps, dataDir } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, {
    secret: "behind a passphrase",
    passphrase: "open sesame",
    recipients: [],
  });
  const secretKey = made.secretKey ?? "";

  await failsWith(reveal(deps, ANONYMOUS, { secretKey, passphrase: "open sesame!" }), "wrong_passphrase");
  await failsWith(reveal(deps, ANONYMOUS, { secretKey }), "wrong_passphrase", "a missing one is a wrong one");
  await failsWith(reveal(deps, OTHER_IP, { secretKey, passphrase: "" }), "wrong_passphrase");
  assert.equal(await stored(deps, secretKey), true, "still in the store");
  assert.deepEqual(secretRows(dataDir), { secrets: 1, receipts: 1 });
  assert.deepEqual(await inspectSecret(deps, ANONYMOUS, secretKey), {
    hasPassphrase: true,
    client: null,
    hasFile: false,
    createdAt: made.createdAt,
    expiresAt: made.secretExpiresAt,
    viewsLeft: 1,
  });
  assert.equal((await showReceipt(deps, ANONYMOUS, made.metadataKey)).live, true);

  const revealed = await reveal(deps, ANONYMOUS, { secretKey, passphrase: "open sesame" });
  assert.equal(revealed.value, "behind a passphrase");
  await failsWith(reveal(deps, ANONYMOUS, { secretKey, passphrase: "open sesame" }), "unknown_secret");
});

test("a caller locked out by wrong passphrases consumes nothing either, and reads once the lock ends", async (t) => {
  const { deps, clock } = await actionsRuntime(t, {
    PASSPHRASE_ATTEMPTS_PER_IP: "3",
    PASSPHRASE_LOCKOUT: "600",
  });
  const made = await conceal(deps, ANONYMOUS, { secret: "patience", passphrase: "right", recipients: [] });
  const secretKey = made.secretKey ?? "";
  for (let i = 0; i < 3; i++) {
    await failsWith(reveal(deps, ANONYMOUS, { secretKey, passphrase: `wrong ${i}` }), "wrong_passphrase");
  }
  await failsWith(reveal(deps, ANONYMOUS, { secretKey, passphrase: "right" }), "rate_limited", "locked");
  assert.equal(await stored(deps, secretKey), true);

  clock.advance(600);
  assert.equal((await reveal(deps, ANONYMOUS, { secretKey, passphrase: "right" })).value, "patience");
});

test("unknown, malformed and made-up keys are unknown, and change nothing", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "bystander", recipients: [] });
  const secretKey = made.secretKey ?? "";
  const madeUp = `${secretKey.slice(0, -1)}${secretKey.endsWith("a") ? "b" : "a"}`;
  for (const key of [madeUp, "", "not a key", made.metadataKey]) {
    await failsWith(reveal(deps, ANONYMOUS, { secretKey: key }), "unknown_secret", key);
  }
  await failsWith(
    burn(deps, ANONYMOUS, { metadataKey: secretKey }),
    "unknown_secret",
    "a secret key is no receipt",
  );
  assert.equal((await reveal(deps, ANONYMOUS, { secretKey })).value, "bystander");
});

test("burn without a passphrase: the secret is destroyed, the receipt says burned, a reveal finds nothing", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "to destroy", recipients: [] });
  const burned = await burn(deps, OTHER_IP, { metadataKey: made.metadataKey });
  assert.equal(burned.secretKey, made.secretKey);
  assert.equal(burned.receipt.state, "burned");
  assert.equal(burned.receipt.live, false);
  assert.equal(await stored(deps, made.secretKey ?? ""), false);
  await failsWith(reveal(deps, ANONYMOUS, { secretKey: made.secretKey ?? "" }), "unknown_secret");
  await failsWith(burn(deps, OTHER_IP, { metadataKey: made.metadataKey }), "unknown_secret", "burns once");
  assert.equal((await showReceipt(deps, ANONYMOUS, made.metadataKey)).state, "burned");
});

test("burn of a secret with a passphrase: refused without it or with a wrong one, destroying nothing", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "guarded", passphrase: "pw", recipients: [] });
  const secretKey = made.secretKey ?? "";
  await failsWith(burn(deps, ANONYMOUS, { metadataKey: made.metadataKey }), "passphrase_mismatch");
  await failsWith(
    burn(deps, ANONYMOUS, { metadataKey: made.metadataKey, passphrase: "PW" }),
    "passphrase_mismatch",
  );
  await failsWith(
    burn(deps, ANONYMOUS, { metadataKey: made.metadataKey, asOwner: true }),
    "passphrase_mismatch",
    "asOwner means nothing without the creator's account",
  );
  assert.equal(await stored(deps, secretKey), true);
  assert.equal((await showReceipt(deps, ANONYMOUS, made.metadataKey)).live, true);

  const burned = await burn(deps, ANONYMOUS, { metadataKey: made.metadataKey, passphrase: "pw" });
  assert.equal(burned.receipt.state, "burned");
  await failsWith(reveal(deps, ANONYMOUS, { secretKey, passphrase: "pw" }), "unknown_secret");
});

test("the signed-in creator burns as owner without the passphrase; another account, or the API, cannot", async (t) => {
  const { deps } = await actionsRuntime(t);
  const alice = await signedIn(deps, "alice@example.com");
  const mallory = await signedIn(deps, "mallory@example.com");
  const made = await conceal(deps, alice, { secret: "alice's", passphrase: "forgotten", recipients: [] });
  const metadataKey = made.metadataKey;

  await failsWith(
    burn(deps, mallory, { metadataKey, asOwner: true }),
    "passphrase_mismatch",
    "not the creator",
  );
  await failsWith(
    burn(deps, alice, { metadataKey }),
    "passphrase_mismatch",
    "as the API: the passphrase counts",
  );
  assert.equal(await stored(deps, made.secretKey ?? ""), true);

  const burned = await burn(deps, alice, { metadataKey, asOwner: true });
  assert.equal(burned.receipt.state, "burned");
  assert.equal(burned.receipt.owner, "alice@example.com");
});

test("an expired secret: readable until its TTL ends, then unknown to reveal and burn, and the receipt says expired", async (t) => {
  const { deps, clock } = await actionsRuntime(t);
  const made = await conceal(deps, ANONYMOUS, { secret: "short-lived", ttl: 3600, recipients: [] });
  const other = await conceal(deps, ANONYMOUS, { secret: "also short-lived", ttl: 3600, recipients: [] });
  assert.equal(made.secretExpiresAt, clock.ms + 3600_000);

  clock.advance(3599);
  assert.equal((await inspectSecret(deps, ANONYMOUS, made.secretKey ?? "")).hasPassphrase, false);
  assert.equal(
    (await reveal(deps, ANONYMOUS, { secretKey: other.secretKey ?? "" })).value,
    "also short-lived",
  );

  clock.advance(1);
  await failsWith(reveal(deps, ANONYMOUS, { secretKey: made.secretKey ?? "" }), "unknown_secret");
  await failsWith(burn(deps, ANONYMOUS, { metadataKey: made.metadataKey }), "unknown_secret");
  const receipt = await showReceipt(deps, ANONYMOUS, made.metadataKey);
  assert.equal(receipt.state, "expired");
  assert.equal(receipt.live, false);
});

test("generate: the password is in the answer once, and reads once like any secret", async (t) => {
  const { deps } = await actionsRuntime(t);
  const made = await generate(deps, ANONYMOUS, { recipients: [] });
  assert.ok(made.value !== undefined && made.value.length > 0);
  assert.equal(made.state, "new");
  const revealed = await reveal(deps, ANONYMOUS, { secretKey: made.secretKey ?? "" });
  assert.equal(revealed.value, made.value);
  await failsWith(reveal(deps, ANONYMOUS, { secretKey: made.secretKey ?? "" }), "unknown_secret");
});

test("create refuses empty input and an anonymous recipient, storing nothing", async (t) => {
  const { deps, dataDir } = await actionsRuntime(t);
  await failsWith(conceal(deps, ANONYMOUS, { secret: "", recipients: [] }), "nothing_to_share");
  await failsWith(conceal(deps, ANONYMOUS, { recipients: [] }), "nothing_to_share");
  await failsWith(
    conceal(deps, ANONYMOUS, { secret: "x", recipients: ["bob@example.net"] }),
    "recipient_needs_account",
  );
  assert.deepEqual(secretRows(dataDir), { secrets: 0, receipts: 0 }, "nothing was stored");
});
