import { decodeEnvelope, encodeEnvelope, type FileContent } from "../crypto/envelope.js";
import { newKey } from "../crypto/ids.js";
import type { ReceiptRow } from "../store/types.js";
import type { Deps } from "./deps.js";
import { locateSecret } from "./keyring.js";

// A pickup: a revealed file waiting for its one download. The page that shows a server secret's text
// cannot carry its file (HTML is no place for megabytes of bytes, and without JavaScript a page can
// neither hold nor save them), so after the reveal's take the file is stored again, encrypted under
// a fresh random key that only the reader's page holds, as a one-view secret of its own: the store's
// atomic take hands it out exactly once, and its expiry ends it unread. Its key is written into the
// download form and nowhere else; its id lives in a name space of its own ("pickup." before the key,
// which no link's key can be), so it can be neither opened through a secret link nor mistaken for a
// secret. It counts in no metric: it is the same secret, read once already.

/** How long a revealed file waits for its download. */
export const PICKUP_SECONDS = 600;

const slot = (key: string) => `pickup.${key}`;

/** Stores the file for one download within PICKUP_SECONDS; returns the pickup's key (31 characters). */
export async function stashPickup(deps: Pick<Deps, "vault" | "store" | "now">, file: FileContent) {
  const { vault } = deps;
  const key = newKey();
  const now = deps.now();
  const expiresAt = now + PICKUP_SECONDS * 1000;
  const sealed = await vault.sealSecret(slot(key), encodeEnvelope({ text: "", file }), undefined);
  // The store keeps a secret with its receipt; this one's metadata key is dropped at once, so nobody
  // can ever open or list it, and it ends with the pickup.
  const metadataKey = newKey();
  const receiptId = vault.receiptId(metadataKey);
  const receipt: ReceiptRow = {
    id: receiptId,
    secretId: sealed.id,
    sealedSecretKey: vault.sealSecretKey(metadataKey, receiptId, slot(key)),
    owner: null,
    state: "new",
    kind: "conceal",
    hasPassphrase: false,
    encryption: "server",
    hasFile: true,
    views: 1,
    readTimes: [],
    ttl: PICKUP_SECONDS,
    createdAt: now,
    updatedAt: now,
    secretExpiresAt: expiresAt,
    expiresAt,
    receivedAt: null,
    burnedAt: null,
    recipients: [],
    shareDomain: "",
    notify: [],
    webhooks: false,
  };
  const row = {
    ...sealed,
    receiptId,
    shareDomain: "",
    client: null,
    viewsLeft: 1,
    hasFile: true,
    notifyRead: false,
    createdAt: now,
    expiresAt,
  };
  await deps.store.secrets.create(row, receipt, null);
  return key;
}

/**
 * The file of a pickup, to exactly one caller; null when the key is unknown, already used or expired
 * (nothing tells these apart). Checked against its verifier before the atomic take, as a reveal is.
 */
export async function takePickup(
  deps: Pick<Deps, "vault" | "previousVaults" | "store" | "now">,
  key: string,
): Promise<FileContent | null> {
  if (!/^[0-9a-z]{31}$/.test(key)) return null;
  const found = await locateSecret(deps, slot(key));
  if (found === null || !found.header.hasFile) return null;
  const { vault, header } = found;
  const contentKey = await vault.unlockSecret(header, slot(key), undefined);
  if (contentKey === null) return null;
  const row = await deps.store.secrets.take(header.id, deps.now());
  if (row === null) return null;
  const plain = vault.openSecretBytes(contentKey, row);
  if (plain === null) throw new Error("verified pickup failed to decrypt");
  return decodeEnvelope(plain).file;
}
