// Secrets and their receipts. A secret is read a set number of times (views, 1 by default): each
// `take` hands it to one caller and the last one deletes it. Its
// receipt outlives it (twice its TTL) and tells the sender what happened; an account's list points
// at the receipts it made. Ids are HMACs of bearer keys; no key or plaintext is ever stored.

import type { ClientKdf } from "../../domain/client-secret.js";
import type { NotifyEvent } from "../../domain/notify.js";
import type { ReceiptFacts, ReceiptState, SecretKind } from "../../domain/receipt.js";

// The states and their rules are the domain's (domain/receipt.ts); the store keeps them.
export type { ReceiptState, SecretKind };

export interface SecretRow {
  id: string;
  receiptId: string;
  /** AES-256-GCM sealed plaintext; AAD = id. */
  ciphertext: Buffer;
  /** Proves the reader holds the right key (and passphrase) before anything is consumed. */
  verifier: Buffer;
  /** argon2id salt when the secret has a passphrase, else null (always null for a client secret). */
  passphraseSalt: Buffer | null;
  /**
   * Set for a client-encrypted secret: its passphrase's PBKDF2 parameters (kdf, null without one).
   * Its ciphertext then seals the sender's blob, and its verifier checks the reveal proof.
   */
  client: { kdf: ClientKdf | null } | null;
  /** Custom domain for the link, "" for the site's own host. */
  shareDomain: string;
  /**
   * Views still allowed while the row exists (>= 1; rows made before view limits read as 1). A take
   * returns the row with the views left after it: 0 when that take was the last.
   */
  viewsLeft: number;
  /** The sealed content is a content envelope (text and a file), not bare UTF-8 text. */
  hasFile: boolean;
  /**
   * Its creator asked to be told of each read (the receipt's `notify` holds "read", or it has
   * webhooks): a take hands it back so the reveal knows without reading the receipt. False on rows
   * made before notices.
   */
  notifyRead: boolean;
  createdAt: number;
  expiresAt: number;
}

/** Everything but the ciphertext: what a non-consuming look needs. */
export type SecretHeader = Omit<SecretRow, "ciphertext">;

/** A stored receipt: the facts surfaces may see (domain/receipt.ts) plus what only the store keeps. */
export interface ReceiptRow extends ReceiptFacts {
  id: string;
  secretId: string;
  /** The secret key sealed under a key derived from the metadata key; AAD = id. */
  sealedSecretKey: Buffer;
  kind: SecretKind;
  /** What its creator asked to be told of by mail (domain/notify.ts); [] on rows made before. */
  notify: NotifyEvent[];
  /**
   * Its owner had webhook endpoints when it was made (docs/webhooks.md): its events are queued for
   * them, and its expiry is claimed by the sweep as an expiry notice is. False on rows made before.
   */
  webhooks: boolean;
}

/** An account's entry for one of its receipts: the metadata key sealed under the account's list key. */
export interface OwnedReceipt {
  receipt: ReceiptRow;
  sealedMetadataKey: Buffer;
}

export interface OwnerEntry {
  accountId: string;
  sealedMetadataKey: Buffer;
}

export interface SecretStore {
  /** Stores a secret and its receipt together (and the owner's list entry). */
  create(secret: SecretRow, receipt: ReceiptRow, owner: OwnerEntry | null): Promise<void>;
  peek(id: string, now: number): Promise<SecretHeader | null>;
  /**
   * Atomic take, one backend operation: with views left after this one, decrements them, keeps the
   * row and adds `now` to the receipt's read times (its state unchanged); on the last view, deletes
   * the row and marks the receipt received, adding `now` too. Returns the row with `viewsLeft` as it
   * is after the take (0: that was the last). Of racing callers exactly `viewsLeft` (before) get the
   * row; the others get null.
   */
  take(id: string, now: number): Promise<SecretRow | null>;

  getReceipt(id: string, now: number): Promise<ReceiptRow | null>;
  /**
   * Moves a live receipt to `to` (viewed, expired or orphaned) only if its state is one of `from`;
   * returns the receipt as it is afterwards, or null when it does not exist.
   */
  transitionReceipt(
    id: string,
    from: readonly ReceiptState[],
    to: ReceiptState,
    now: number,
  ): Promise<ReceiptRow | null>;
  /**
   * Atomic burn: deletes the live secret of a live receipt and marks the receipt burned. Returns the
   * burned receipt, or null when the receipt is unknown, terminal, or its secret is already gone.
   */
  burn(receiptId: string, now: number): Promise<ReceiptRow | null>;
  /**
   * Claims the expiry notices that are due: receipts that asked for "expired" (or have webhooks) whose secret's TTL
   * has passed unread (still live, or already `expired` by a look), at most `limit`. Each is returned
   * to exactly one caller across processes, once; a live one is moved to `expired` in the same
   * atomic step. A receipt read to its last view or burned is dropped, never returned.
   */
  claimExpiryNotices(now: number, limit: number): Promise<ReceiptRow[]>;
  /** An account's receipts created at or after `since`, newest first. */
  listReceipts(accountId: string, since: number, now: number): Promise<OwnedReceipt[]>;
  /**
   * Replaces the sealed metadata keys of an account's listed receipts (its list moved to a new list
   * key), all in one backend operation; a receipt no longer listed is skipped.
   */
  resealList(accountId: string, entries: { receiptId: string; sealedMetadataKey: Buffer }[]): Promise<void>;
}
