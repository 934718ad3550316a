// Secret requests (docs/requests.md): a signed-in requester asks anyone holding the request link for
// a secret; each answer becomes an ordinary zero-knowledge secret owned by the requester, listed under
// its request. Ids are HMACs of bearer keys; the note is sealed under a key only the request link
// gives, the answers' metadata keys under a public key whose private half only the requester link
// gives. The store holds no key, no note and no answer in the clear.

export interface RequestRow {
  /** HMAC of the request link's key. */
  id: string;
  accountId: string;
  /** The note for the sender, sealed under a key derived from the request link's key; AAD = id. */
  sealedNote: Buffer;
  /** The requester's ECDH P-256 public point (65 bytes): public, also in the request link's fragment. */
  publicKey: Buffer;
  /** X25519 public key (32 bytes) that seals each answer's metadata key (crypto/request-vault.ts). */
  answerKey: Buffer;
  /** How many answers it accepts (>= 1), and how many it has had. */
  answersMax: number;
  answersUsed: number;
  createdAt: number;
  /** The request link stops taking answers at this time. */
  expiresAt: number;
  /** Closed early by its requester; null while open. */
  closedAt: number | null;
  /** The row goes after this: its own expiry, or later, the last answer's receipt's. */
  keepUntil: number;
}

/** One answer, listed under its request: where its receipt is and how to reach it. */
export interface RequestAnswer {
  receiptId: string;
  /** The answer receipt's metadata key, sealed to the request's answer key. */
  sealedMetadataKey: Buffer;
  /** The sender's ephemeral ECDH P-256 point (65 bytes), public: the requester's key agreement needs it. */
  senderKey: Buffer;
  createdAt: number;
  /** The answer receipt's expiry: the entry goes with it. */
  expiresAt: number;
}

/** An account's entry for one of its requests: the requester link's key sealed under the list key. */
export interface OwnedRequest {
  request: RequestRow;
  sealedManageKey: Buffer;
}

export interface RequestStore {
  /** Stores a request and its entry in its owner's list. */
  create(request: RequestRow, sealedManageKey: Buffer): Promise<void>;
  /** The row while it is kept (now < keepUntil), open or not; null otherwise. */
  get(id: string, now: number): Promise<RequestRow | null>;
  /**
   * Atomic: when the request is open (not closed, now < expiresAt, answersUsed < answersMax) takes one
   * answer slot and lists `answer` under it, in one backend operation, and returns the row as it is
   * after; null otherwise. Of racing callers exactly the slots left get a row.
   */
  answer(id: string, answer: RequestAnswer, now: number): Promise<RequestRow | null>;
  /** Closes an open request early; returns the row after, or null when it is unknown or already ended. */
  close(id: string, now: number): Promise<RequestRow | null>;
  /** The live answers of a kept request, oldest first. */
  answers(id: string, now: number): Promise<RequestAnswer[]>;
  /** An account's kept requests created at or after `since`, newest first. */
  list(accountId: string, since: number, now: number): Promise<OwnedRequest[]>;
}
