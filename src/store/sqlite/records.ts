import { isNotifyEvent } from "../../domain/notify.js";
import type { ReceiptRow, ReceiptState, SecretHeader, SecretRow } from "../ports/secrets.js";

// Rows as SQLite holds them (snake_case, integers for booleans, JSON for lists) and back.

export interface ReceiptRecord {
  id: string;
  secret_id: string;
  sealed_secret_key: Buffer;
  owner: string | null;
  state: ReceiptState;
  kind: "conceal" | "generate";
  has_passphrase: number;
  ttl: number;
  created_at: number;
  updated_at: number;
  secret_expires_at: number;
  expires_at: number;
  received_at: number | null;
  burned_at: number | null;
  recipients: string;
  share_domain: string;
  /** NULL (rows made before client secrets) and "server" both mean server. */
  encryption: string | null;
  /** NULL on rows made before view limits: 1. */
  views: number | null;
  /** JSON list of Unix ms; NULL on rows made before view limits: [received_at] or []. */
  read_times: string | null;
  has_file: number | null;
  /** JSON list of events (domain/notify.ts); NULL: none asked. */
  notify: string | null;
  /** When the expiry notice falls due (the secret's expiry); NULL when none is pending. */
  expiry_notice_at: number | null;
  /** 1: its owner had webhooks when it was made; NULL on rows made before webhooks. */
  webhooks: number | null;
}

export interface SecretRecord {
  id: string;
  receipt_id: string;
  ciphertext: Buffer;
  verifier: Buffer;
  passphrase_salt: Buffer | null;
  share_domain: string;
  created_at: number;
  expires_at: number;
  encryption: string | null;
  kdf_salt: Buffer | null;
  kdf_iterations: number | null;
  /** NULL on rows made before view limits: 1. */
  views_left: number | null;
  has_file: number | null;
  notify_read: number | null;
}

export function secretRecord(s: SecretRow): SecretRecord {
  return {
    id: s.id,
    receipt_id: s.receiptId,
    ciphertext: s.ciphertext,
    verifier: s.verifier,
    passphrase_salt: s.passphraseSalt,
    share_domain: s.shareDomain,
    created_at: s.createdAt,
    expires_at: s.expiresAt,
    encryption: s.client === null ? null : "client",
    kdf_salt: s.client?.kdf === null || s.client === null ? null : Buffer.from(s.client.kdf.salt),
    kdf_iterations: s.client?.kdf?.iterations ?? null,
    views_left: s.viewsLeft,
    has_file: s.hasFile ? 1 : 0,
    notify_read: s.notifyRead ? 1 : null,
  };
}

export function fromSecretHeader(r: Omit<SecretRecord, "ciphertext">): SecretHeader {
  return {
    id: r.id,
    receiptId: r.receipt_id,
    verifier: r.verifier,
    passphraseSalt: r.passphrase_salt,
    shareDomain: r.share_domain,
    viewsLeft: r.views_left ?? 1,
    hasFile: r.has_file === 1,
    notifyRead: r.notify_read === 1,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    client:
      r.encryption !== "client"
        ? null
        : {
            kdf:
              r.kdf_salt === null || r.kdf_iterations === null
                ? null
                : { salt: r.kdf_salt, iterations: r.kdf_iterations },
          },
  };
}

export function fromSecretRecord(r: SecretRecord): SecretRow {
  return { ...fromSecretHeader(r), ciphertext: r.ciphertext };
}

export function receiptRecord(r: ReceiptRow): ReceiptRecord {
  return {
    id: r.id,
    secret_id: r.secretId,
    sealed_secret_key: r.sealedSecretKey,
    owner: r.owner,
    state: r.state,
    kind: r.kind,
    has_passphrase: r.hasPassphrase ? 1 : 0,
    ttl: r.ttl,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    secret_expires_at: r.secretExpiresAt,
    expires_at: r.expiresAt,
    received_at: r.receivedAt,
    burned_at: r.burnedAt,
    recipients: JSON.stringify(r.recipients),
    share_domain: r.shareDomain,
    encryption: r.encryption === "client" ? "client" : null,
    views: r.views,
    read_times: JSON.stringify(r.readTimes),
    has_file: r.hasFile ? 1 : 0,
    notify: r.notify.length === 0 ? null : JSON.stringify(r.notify),
    expiry_notice_at: r.notify.includes("expired") || r.webhooks ? r.secretExpiresAt : null,
    webhooks: r.webhooks ? 1 : null,
  };
}

export function fromReceiptRecord(r: ReceiptRecord): ReceiptRow {
  return {
    id: r.id,
    secretId: r.secret_id,
    sealedSecretKey: r.sealed_secret_key,
    owner: r.owner,
    state: r.state,
    kind: r.kind,
    hasPassphrase: r.has_passphrase === 1,
    ttl: r.ttl,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    secretExpiresAt: r.secret_expires_at,
    expiresAt: r.expires_at,
    receivedAt: r.received_at,
    burnedAt: r.burned_at,
    recipients: JSON.parse(r.recipients) as string[],
    shareDomain: r.share_domain,
    encryption: r.encryption === "client" ? "client" : "server",
    views: r.views ?? 1,
    // In clock order: takes racing in several processes append in the order they commit, each with
    // the time its own request began, which may be a millisecond behind another's.
    readTimes:
      r.read_times !== null
        ? (JSON.parse(r.read_times) as number[]).sort((a, b) => a - b)
        : r.received_at !== null
          ? [r.received_at]
          : [],
    hasFile: r.has_file === 1,
    notify: r.notify === null ? [] : (JSON.parse(r.notify) as unknown[]).filter(isNotifyEvent),
    webhooks: r.webhooks === 1,
  };
}
