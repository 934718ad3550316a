// Rows for the store contract suites: random ids and bytes, since the store never interprets them.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import type { AccountRow, OwnerEntry, ReceiptRow, SecretRow, Store } from "../../src/store/types.js";

export const HOUR = 3600_000;
/** Racing callers per concurrency test. */
export const RACERS = 64;

export function hex(): string {
  return randomBytes(32).toString("hex");
}

export interface Fixture {
  secret: SecretRow;
  receipt: ReceiptRow;
  owner: OwnerEntry | null;
}

export interface FixtureOptions {
  /** Account id owning the receipt (its list entry is created too); anonymous when absent. */
  owner?: string;
  createdAt?: number;
  secretTtlMs?: number;
  receiptTtlMs?: number;
  passphrase?: boolean;
  recipients?: string[];
  shareDomain?: string;
  kind?: ReceiptRow["kind"];
  state?: ReceiptRow["state"];
  /** A client-encrypted secret; `passphrase` then gives it PBKDF2 parameters. */
  client?: boolean;
  /** How many times it may be read (1 by default). */
  views?: number;
  hasFile?: boolean;
  /** The events its creator asked to be told of ([] by default). */
  notify?: ReceiptRow["notify"];
  /** Its owner had webhooks (false by default). */
  webhooks?: boolean;
}

/** Stores a new secret with its receipt. */
export async function put(store: Store, now: number, o: FixtureOptions = {}): Promise<Fixture> {
  const createdAt = o.createdAt ?? now;
  const secretExpiresAt = now + (o.secretTtlMs ?? 24 * HOUR);
  const secret: SecretRow = {
    id: hex(),
    receiptId: hex(),
    ciphertext: randomBytes(64),
    verifier: randomBytes(32),
    passphraseSalt: o.passphrase && !o.client ? randomBytes(16) : null,
    shareDomain: o.shareDomain ?? "",
    viewsLeft: o.views ?? 1,
    hasFile: o.hasFile ?? false,
    notifyRead: (o.notify?.includes("read") ?? false) || o.webhooks === true,
    createdAt,
    expiresAt: secretExpiresAt,
    client: o.client ? { kdf: o.passphrase ? { salt: randomBytes(16), iterations: 600_000 } : null } : null,
  };
  const receipt: ReceiptRow = {
    id: secret.receiptId,
    secretId: secret.id,
    sealedSecretKey: randomBytes(59),
    owner: o.owner === undefined ? null : `${o.owner}@example.com`,
    state: o.state ?? "new",
    kind: o.kind ?? "conceal",
    hasPassphrase: o.passphrase ?? false,
    encryption: o.client ? "client" : "server",
    ttl: Math.round((secretExpiresAt - createdAt) / 1000),
    createdAt,
    updatedAt: createdAt,
    secretExpiresAt,
    expiresAt: now + (o.receiptTtlMs ?? 48 * HOUR),
    receivedAt: null,
    burnedAt: null,
    recipients: o.recipients ?? [],
    shareDomain: o.shareDomain ?? "",
    views: o.views ?? 1,
    readTimes: [],
    hasFile: o.hasFile ?? false,
    notify: o.notify ?? [],
    webhooks: o.webhooks ?? false,
  };
  const owner = o.owner === undefined ? null : { accountId: o.owner, sealedMetadataKey: randomBytes(59) };
  await store.secrets.create(secret, receipt, owner);
  return { secret, receipt, owner };
}

export async function newAccount(store: Store, now: number): Promise<AccountRow> {
  const account: AccountRow = {
    id: hex(),
    email: `${hex().slice(0, 8)}@example.com`,
    tokenHash: randomBytes(32),
    wrappedListKey: randomBytes(60),
    createdAt: now,
    updatedAt: now,
    disabledAt: null,
  };
  assert.equal(await store.accounts.create(account), true);
  return account;
}
