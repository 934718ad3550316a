import { toBase64Url } from "../../crypto/zk.js";
import type { ClientKdf } from "../../domain/client-secret.js";
import { type Origin, secretLink, siteUrl } from "../../domain/links.js";
import { type ReceiptState, type ReceiptView, viewsLeft, viewsUsed } from "../../domain/receipt.js";

// The only place that knows v2 field names (docs/api-v2.md; the shapes are in schemas.ts). Times are
// epoch seconds with their fraction, TTLs whole seconds, as upstream's v2.

const seconds = (ms: number) => ms / 1000;
const remaining = (until: number, now: number) => Math.max(0, Math.ceil((until - now) / 1000));
const shortid = (key: string) => key.slice(0, 8);

/** What a secret record is made of, from any action that describes a secret. Times are Unix ms. */
export interface SecretFacts {
  secretKey: string;
  hasPassphrase: boolean;
  createdAt: number;
  expiresAt: number;
  /** Set for a client-encrypted secret (with its PBKDF2 parameters, null without a passphrase). */
  client?: { kdf: ClientKdf | null } | null;
  /** The views still allowed (after this one, in a reveal). */
  viewsLeft: number;
  hasFile: boolean;
}

/** A server secret's file as a reveal hands it out. */
export interface FileFacts {
  name: string;
  type: string;
  bytes: Buffer;
}

/** What a reveal hands out: a server secret's text (and file), or a client secret's blob. */
export type RevealedContent = { value: string; file: FileFacts | null } | { blob: Uint8Array };

export function secretRecord(facts: SecretFacts, now: number, revealed?: RevealedContent) {
  const record: Record<string, unknown> = {
    identifier: facts.secretKey,
    key: facts.secretKey,
    shortid: shortid(facts.secretKey),
    state: revealed === undefined ? "new" : "revealed",
    has_passphrase: facts.hasPassphrase,
    secret_ttl: remaining(facts.expiresAt, now),
    lifespan: Math.round((facts.expiresAt - facts.createdAt) / 1000),
    created: seconds(facts.createdAt),
    updated: seconds(facts.createdAt),
  };
  record.has_file = facts.hasFile;
  const client = facts.client ?? null;
  record.encryption = client === null ? "server" : "client";
  if (client?.kdf) record.kdf = { salt: toBase64Url(client.kdf.salt), iterations: client.kdf.iterations };
  if (revealed !== undefined) {
    if ("value" in revealed) {
      record.secret_value = revealed.value;
      const { file } = revealed;
      if (file !== null) {
        const content = file.bytes.toString("base64");
        record.file = { name: file.name, type: file.type, size: file.bytes.length, content };
      }
    } else {
      // Node's codec, not zk.ts's: a file's blob is megabytes, and the same text comes out.
      record.ciphertext = Buffer.from(
        revealed.blob.buffer,
        revealed.blob.byteOffset,
        revealed.blob.byteLength,
      ).toString("base64url");
    }
  }
  record.views_left = facts.viewsLeft;
  return record;
}

/** Our six receipt states in upstream's v2 words: both live ones are `new`, a read one `revealed`. */
const STATE: Record<ReceiptState, string> = {
  new: "new",
  viewed: "new",
  received: "revealed",
  burned: "burned",
  expired: "expired",
  orphaned: "orphaned",
};

export function receiptRecord(view: ReceiptView, origin: Origin, now: number) {
  const key = view.metadataKey;
  const secretKey = view.live ? view.secretKey : null;
  const receiptPath = `/receipt/${key}`;
  const record: Record<string, unknown> = {
    identifier: key,
    key,
    shortid: shortid(key),
    custid: view.owner ?? "anon",
    state: STATE[view.state],
  };
  if (secretKey !== null) {
    record.secret_identifier = secretKey;
    record.secret_shortid = shortid(secretKey);
  }
  Object.assign(record, {
    has_passphrase: view.hasPassphrase,
    secret_ttl: view.live ? remaining(view.secretExpiresAt, now) : null,
    receipt_ttl: remaining(view.expiresAt, now),
    metadata_ttl: remaining(view.expiresAt, now),
    lifespan: view.ttl,
    share_domain: view.shareDomain,
    created: seconds(view.createdAt),
    updated: seconds(view.updatedAt),
    revealed: view.receivedAt === null ? null : seconds(view.receivedAt),
    burned: view.burnedAt === null ? null : seconds(view.burnedAt),
    recipients: view.recipients,
    kind: view.kind ?? "conceal",
    encryption: view.encryption,
    is_revealed: view.state === "received",
    is_burned: view.state === "burned",
    is_expired: view.state === "expired",
  });
  if (secretKey !== null) record.share_url = secretLink(origin, view.shareDomain, secretKey);
  record.receipt_url = siteUrl(origin, receiptPath);
  if (view.live) record.burn_url = siteUrl(origin, `${receiptPath}/burn`);
  if (view.value !== undefined) record.secret_value = view.value;
  Object.assign(record, {
    views: view.views,
    views_used: viewsUsed(view),
    views_left: viewsLeft(view),
    read_times: view.readTimes.map(seconds),
    has_file: view.hasFile,
  });
  return record;
}

/** The answer to conceal and generate: the receipt (twice, as upstream), the secret, the details. */
export function createdAnswer(view: ReceiptView, origin: Origin, now: number) {
  const receipt = receiptRecord(view, origin, now);
  const secret = secretRecord(
    {
      secretKey: view.secretKey ?? "",
      hasPassphrase: view.hasPassphrase,
      createdAt: view.createdAt,
      expiresAt: view.secretExpiresAt,
      // The creator made the passphrase parameters; the look (GET /secret/:key) hands them out.
      client: view.encryption === "client" ? { kdf: null } : null,
      viewsLeft: view.views,
      hasFile: view.hasFile,
    },
    now,
  );
  return {
    success: true,
    record: { receipt, metadata: receipt, secret, share_domain: view.shareDomain },
    details: { kind: view.kind ?? "conceal", recipient: view.recipients, recipient_safe: view.recipients },
  };
}
