import { isNotifyEvent } from "../../domain/notify.js";
import type { ReceiptRow, ReceiptState, SecretRow } from "../ports/secrets.js";
import type { Reply } from "./connection.js";

// Secrets and receipts as Redis hashes (strings for numbers, "1"/"0" for booleans, JSON for lists,
// absent fields for nulls) and back. Scripts read the fields in the order listed here.

export const SECRET_FIELDS = [
  "receipt_id",
  "ciphertext",
  "verifier",
  "passphrase_salt",
  "share_domain",
  "created_at",
  "expires_at",
  "encryption",
  "kdf_salt",
  "kdf_iterations",
  "views_left",
  "has_file",
  "notify_read",
] as const;

export const RECEIPT_FIELDS = [
  "id",
  "secret_id",
  "sealed_secret_key",
  "owner",
  "state",
  "kind",
  "has_passphrase",
  "ttl",
  "created_at",
  "updated_at",
  "secret_expires_at",
  "expires_at",
  "received_at",
  "burned_at",
  "recipients",
  "share_domain",
  "encryption",
  "views",
  "read_times",
  "has_file",
  "notify",
  "webhooks",
] as const;

/** The fields as a Lua list, for HMGET inside a script. */
export const luaList = (fields: readonly string[]) => fields.map((f) => `'${f}'`).join(", ");

export function num(v: Reply | undefined): number {
  return v === null || v === undefined ? 0 : Number(v.toString());
}

/** A text field; "" when absent. */
export function text(v: Reply | undefined): string {
  return v === null || v === undefined ? "" : v.toString();
}

export function secretHash(s: SecretRow): Record<string, string | Buffer> {
  const h: Record<string, string | Buffer> = {
    receipt_id: s.receiptId,
    ciphertext: s.ciphertext,
    verifier: s.verifier,
    share_domain: s.shareDomain,
    created_at: String(s.createdAt),
    expires_at: String(s.expiresAt),
    views_left: String(s.viewsLeft),
  };
  if (s.hasFile) h.has_file = "1";
  if (s.notifyRead) h.notify_read = "1";
  if (s.passphraseSalt !== null) h.passphrase_salt = s.passphraseSalt;
  if (s.client !== null) {
    h.encryption = "client";
    if (s.client.kdf !== null) {
      h.kdf_salt = Buffer.from(s.client.kdf.salt);
      h.kdf_iterations = String(s.client.kdf.iterations);
    }
  }
  return h;
}

export function toSecret(id: string, f: Record<string, Reply>): SecretRow {
  return {
    id,
    receiptId: String(f.receipt_id),
    ciphertext: f.ciphertext ?? Buffer.alloc(0),
    verifier: f.verifier ?? Buffer.alloc(0),
    passphraseSalt: f.passphrase_salt ?? null,
    shareDomain: f.share_domain?.toString() ?? "",
    // Absent on hashes made before view limits: one view.
    viewsLeft: f.views_left === null || f.views_left === undefined ? 1 : num(f.views_left),
    hasFile: f.has_file?.toString() === "1",
    notifyRead: f.notify_read?.toString() === "1",
    createdAt: num(f.created_at ?? null),
    expiresAt: num(f.expires_at ?? null),
    // Absent on hashes made before client secrets: those are server secrets.
    client:
      f.encryption?.toString() !== "client"
        ? null
        : {
            kdf:
              f.kdf_salt === null || f.kdf_salt === undefined
                ? null
                : { salt: f.kdf_salt, iterations: num(f.kdf_iterations ?? null) },
          },
  };
}

export function receiptHash(r: ReceiptRow): Record<string, string | Buffer> {
  const h: Record<string, string | Buffer> = {
    id: r.id,
    secret_id: r.secretId,
    sealed_secret_key: r.sealedSecretKey,
    state: r.state,
    kind: r.kind,
    has_passphrase: r.hasPassphrase ? "1" : "0",
    ttl: String(r.ttl),
    created_at: String(r.createdAt),
    updated_at: String(r.updatedAt),
    secret_expires_at: String(r.secretExpiresAt),
    expires_at: String(r.expiresAt),
    recipients: JSON.stringify(r.recipients),
    share_domain: r.shareDomain,
    views: String(r.views),
  };
  if (r.readTimes.length > 0) h.read_times = r.readTimes.join(",");
  if (r.hasFile) h.has_file = "1";
  if (r.notify.length > 0) h.notify = r.notify.join(",");
  if (r.webhooks) h.webhooks = "1";
  if (r.owner !== null) h.owner = r.owner;
  if (r.encryption === "client") h.encryption = "client";
  if (r.receivedAt !== null) h.received_at = String(r.receivedAt);
  if (r.burnedAt !== null) h.burned_at = String(r.burnedAt);
  return h;
}

/** A receipt from its fields in RECEIPT_FIELDS order; null when the hash does not exist. */
export function toReceipt(values: Reply[]): ReceiptRow | null {
  const f = Object.fromEntries(RECEIPT_FIELDS.map((name, i) => [name, values[i] ?? null])) as Record<
    (typeof RECEIPT_FIELDS)[number],
    Reply
  >;
  if (f.id === null || f.state === null) return null;
  const optional = (v: Reply) => (v === null ? null : num(v));
  return {
    id: f.id.toString(),
    secretId: String(f.secret_id),
    sealedSecretKey: f.sealed_secret_key ?? Buffer.alloc(0),
    owner: f.owner?.toString() ?? null,
    state: f.state.toString() as ReceiptState,
    kind: f.kind?.toString() === "generate" ? "generate" : "conceal",
    hasPassphrase: f.has_passphrase?.toString() === "1",
    ttl: num(f.ttl),
    createdAt: num(f.created_at),
    updatedAt: num(f.updated_at),
    secretExpiresAt: num(f.secret_expires_at),
    expiresAt: num(f.expires_at),
    receivedAt: optional(f.received_at),
    burnedAt: optional(f.burned_at),
    recipients: JSON.parse(f.recipients?.toString() ?? "[]") as string[],
    shareDomain: f.share_domain?.toString() ?? "",
    encryption: f.encryption?.toString() === "client" ? "client" : "server",
    // Absent on hashes made before view limits: one view, read (if at all) at received_at.
    views: f.views === null ? 1 : num(f.views),
    readTimes: readTimes(f.read_times, optional(f.received_at)),
    hasFile: f.has_file?.toString() === "1",
    // Absent on hashes made before notices, and when none was asked.
    notify: (f.notify?.toString() ?? "").split(",").filter(isNotifyEvent),
    webhooks: f.webhooks?.toString() === "1",
  };
}

/**
 * Read times are kept as comma-separated Unix ms (the take script appends to them), and read in clock
 * order: takes racing on several nodes append in the order Redis runs them, each with the time its
 * own request began, which may be a millisecond behind another's.
 */
function readTimes(v: Reply, receivedAt: number | null): number[] {
  if (v !== null) {
    return v.toString() === ""
      ? []
      : v
          .toString()
          .split(",")
          .map(Number)
          .sort((a, b) => a - b);
  }
  return receivedAt === null ? [] : [receivedAt];
}
