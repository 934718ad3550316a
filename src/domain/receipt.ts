// A receipt tells the creator what became of their secret. Its states, the moves between them that
// a look at the receipt makes, and what a surface may show in each state live here and nowhere else:
// actions hand surfaces a ReceiptView built by receiptView(), never a stored row.

import type { Encryption } from "./client-secret.js";

/**
 * `new` (made, the receipt not looked at yet) and `viewed` (looked at, or a generated password shown
 * at creation) are live: the secret can still be read or burned. A secret may allow several views;
 * each read before the last leaves the state as it is and only adds a read time. The other four are
 * final: `received` (its last view read) (destroyed by its creator), `expired` (its TTL passed unread) and `orphaned`
 * (it vanished before its TTL: data loss).
 */
export type ReceiptState = "new" | "viewed" | "received" | "burned" | "expired" | "orphaned";
export type LiveState = "new" | "viewed";
export type SecretKind = "conceal" | "generate";

/** The states a receipt may leave; every other one is final. */
export const LIVE_STATES: readonly LiveState[] = ["new", "viewed"];

export function isLive(state: ReceiptState): state is LiveState {
  return state === "new" || state === "viewed";
}

/**
 * What a look at a live receipt makes of it, having looked its secret up: `viewed` while the secret
 * exists (the first look at a `new` receipt is what `viewed` records), else `expired` when its TTL
 * has passed, else `orphaned`.
 */
export function stateAfterLook(secretExists: boolean, secretExpiresAt: number, now: number): ReceiptState {
  if (secretExists) return "viewed";
  return now >= secretExpiresAt ? "expired" : "orphaned";
}

/**
 * The state a list reports without looking each secret up (one read per receipt): a live receipt
 * whose secret's TTL has passed reads as `expired`, as a look would make it; nothing is stored.
 */
export function listedState(state: ReceiptState, secretExpiresAt: number, now: number): ReceiptState {
  return isLive(state) && now >= secretExpiresAt ? "expired" : state;
}

/** What a receipt records, as surfaces may see it: no ids and no sealed key. Times are Unix ms. */
export interface ReceiptFacts {
  /** The creator's account email (v1 `custid`), or null for an anonymous secret. */
  owner: string | null;
  state: ReceiptState;
  hasPassphrase: boolean;
  /** Who sealed the text: the server, or the sender's browser or terminal (client). */
  encryption: Encryption;
  /** The secret's TTL in seconds, as chosen at creation. */
  ttl: number;
  createdAt: number;
  updatedAt: number;
  secretExpiresAt: number;
  /** When the receipt itself is deleted (twice the TTL after creation). */
  expiresAt: number;
  receivedAt: number | null;
  burnedAt: number | null;
  /** Masked addresses. */
  recipients: string[];
  /** The custom domain of the share link, "" for the site's own host. */
  shareDomain: string;
  /** How many times the link may be opened, as chosen at creation (1 for v1 and older secrets). */
  views: number;
  /** When each view was read, oldest first (Unix ms): its length is the views used. */
  readTimes: number[];
  /** The sealed content is a content envelope holding a file (src/crypto/envelope.ts). */
  hasFile: boolean;
}

/** The views read so far. */
export function viewsUsed(facts: Pick<ReceiptFacts, "readTimes">): number {
  return facts.readTimes.length;
}

/**
 * The views still allowed: while the receipt is live, the limit less the views read (at least 1: the
 * last read ends the receipt); none once it is final, whatever ended it.
 */
export function viewsLeft(facts: Pick<ReceiptFacts, "state" | "views" | "readTimes">): number {
  return isLive(facts.state) ? Math.max(1, facts.views - viewsUsed(facts)) : 0;
}

export type MailState = "queued" | "sent" | "failed";

/** How the recipient's email went. */
export interface MailView {
  state: MailState;
  /** Tries made so far. */
  attempts: number;
  /** Why the last try failed: an error code, never the message or the address. */
  lastError: string | null;
  updatedAt: number;
}

/** A receipt as an action hands it to a surface. */
export interface ReceiptView extends ReceiptFacts {
  metadataKey: string;
  /**
   * The secret can still be read or burned: only then do its link, its time left, its passphrase
   * flag and the burn action show.
   */
  live: boolean;
  /** The share key: set only while live, and only where the action opened it (not in lists). */
  secretKey: string | null;
  /** conceal or generate, when the facts came from a stored receipt (every action's do). */
  kind?: SecretKind;
  /** The generated password: only in the generate answer, never stored on the receipt. */
  value?: string;
  /** The recipient's email, when the secret has recipients (null: none was queued). */
  mail?: MailView | null;
}

/**
 * The view of a receipt in the state it is reported in. Callers settle the state first (a look:
 * stateAfterLook; a list: listedState), so a live state means the secret is there to be read.
 */
export function receiptView(
  facts: ReceiptFacts & { kind?: SecretKind },
  metadataKey: string,
  secretKey: string | null,
): ReceiptView {
  const live = isLive(facts.state);
  const view: ReceiptView = {
    owner: facts.owner,
    state: facts.state,
    hasPassphrase: facts.hasPassphrase,
    encryption: facts.encryption,
    ttl: facts.ttl,
    createdAt: facts.createdAt,
    updatedAt: facts.updatedAt,
    secretExpiresAt: facts.secretExpiresAt,
    expiresAt: facts.expiresAt,
    receivedAt: facts.receivedAt,
    burnedAt: facts.burnedAt,
    recipients: facts.recipients,
    shareDomain: facts.shareDomain,
    views: facts.views,
    readTimes: facts.readTimes,
    hasFile: facts.hasFile,
    metadataKey,
    live,
    secretKey: live ? secretKey : null,
  };
  if (facts.kind !== undefined) view.kind = facts.kind;
  return view;
}

/**
 * The moment a final state names, shown beside it: when the secret was received, burned or expired;
 * null for the other states (and for a received or burned receipt missing its time).
 */
export function stateTime(
  view: Pick<ReceiptFacts, "state" | "receivedAt" | "burnedAt" | "secretExpiresAt">,
): number | null {
  if (view.state === "received") return view.receivedAt;
  if (view.state === "burned") return view.burnedAt;
  if (view.state === "expired") return view.secretExpiresAt;
  return null;
}
