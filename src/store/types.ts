// The storage port. It is shaped by the domain, not a generic key-value API: every operation that
// changes more than one record is atomic in every adapter, and expired rows read as absent at once,
// before any sweep. Ids are HMACs of bearer keys; the store never sees a key, a passphrase or a
// plaintext. Times are Unix milliseconds. Adapters return null for expected absence and throw
// StoreUnavailableError when the backend cannot answer.

export type ReceiptState = "new" | "viewed" | "received" | "burned" | "expired" | "orphaned";
export type SecretKind = "conceal" | "generate";

export const LIVE_STATES: readonly ReceiptState[] = ["new", "viewed"];

export interface SecretRow {
  id: string;
  receiptId: string;
  /** AES-256-GCM sealed plaintext; AAD = id. */
  ciphertext: Buffer;
  /** Proves the reader holds the right key (and passphrase) before anything is consumed. */
  verifier: Buffer;
  /** argon2id salt when the secret has a passphrase, else null. */
  passphraseSalt: Buffer | null;
  /** Custom domain for the link, "" for the site's own host. */
  shareDomain: string;
  createdAt: number;
  expiresAt: number;
}

/** Everything but the ciphertext: what a non-consuming look needs. */
export type SecretHeader = Omit<SecretRow, "ciphertext">;

export interface ReceiptRow {
  id: string;
  secretId: string;
  /** The secret key sealed under a key derived from the metadata key; AAD = id. */
  sealedSecretKey: Buffer;
  /** Owner's email (custid), or null for anonymous. */
  owner: string | null;
  state: ReceiptState;
  kind: SecretKind;
  hasPassphrase: boolean;
  /** Effective secret TTL in seconds chosen at creation. */
  ttl: number;
  createdAt: number;
  updatedAt: number;
  secretExpiresAt: number;
  expiresAt: number;
  receivedAt: number | null;
  burnedAt: number | null;
  /** Masked addresses only. */
  recipients: string[];
  shareDomain: string;
}

export interface AccountRow {
  id: string;
  email: string;
  /** HMAC(token-key, API token): the token itself is never stored. Null until one is issued. */
  tokenHash: Buffer | null;
  /** The account's list key, sealed under a key derived from the API token. */
  wrappedListKey: Buffer | null;
  createdAt: number;
  updatedAt: number;
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

export type MailState = "queued" | "sent" | "failed";

/**
 * One mail in the durable outbox. The message (address, link) is sealed under a server key and
 * wiped once the mail is sent or has failed for good; what stays is its delivery state.
 */
export interface MailRow {
  id: string;
  /** The receipt the mail is about, whose page shows the delivery state; null for account mail. */
  receiptId: string | null;
  sealed: Buffer;
  state: MailState;
  /** Tries made so far. */
  attempts: number;
  /**
   * When a worker may claim it next: its next try, or — while a worker holds it — the end of that
   * worker's lease, so that a mail whose worker died is tried again.
   */
  dueAt: number;
  /** Why the last try failed: an error code, never the message or the address. */
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  /** The row is deleted after this (with its receipt). */
  expiresAt: number;
}

export type MailStatus = Pick<MailRow, "state" | "attempts" | "lastError" | "updatedAt">;

/** How an account signs in on the web. Separate from AccountRow: CLI-made accounts have none. */
export interface CredentialsRow {
  accountId: string;
  /** argon2id salt of the password. */
  salt: Buffer;
  /** Derived from the password's argon2id output: proves the password without storing a hash of it alone. */
  verifier: Buffer;
  /** The account's list key, wrapped under another key derived from the password. */
  wrappedListKey: Buffer | null;
  /** When the address was confirmed; null until then. */
  verifiedAt: number | null;
  /** The account's chosen language, or null for the browser's. */
  locale: string | null;
  updatedAt: number;
}

/** A signed-in browser. The id is an HMAC of the cookie's token; the token is never stored. */
export interface SessionRow {
  id: string;
  accountId: string;
  /** The account's list key, sealed under a key derived from the session token. */
  sealedListKey: Buffer | null;
  createdAt: number;
  expiresAt: number;
}

export type TicketPurpose = "verify" | "reset";

/** A one-time link sent by mail (confirm the address, reset the password); id = HMAC of its token. */
export interface TicketRow {
  id: string;
  purpose: TicketPurpose;
  accountId: string;
  expiresAt: number;
}

export interface Store {
  readonly name: string;
  /** True when the backend deletes expired rows by itself (Redis TTLs): no periodic sweep needed. */
  readonly expiresNatively: boolean;

  /** Stores a secret and its receipt together (and the owner's list entry). */
  createSecret(secret: SecretRow, receipt: ReceiptRow, owner: OwnerEntry | null): Promise<void>;
  peekSecret(id: string, now: number): Promise<SecretHeader | null>;
  /**
   * Atomic take: returns the row to exactly one caller, deletes it and marks its receipt received,
   * all in one backend operation. Every other caller gets null.
   */
  takeSecret(id: string, now: number): Promise<SecretRow | null>;

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
  /** An account's receipts created at or after `since`, newest first. */
  listReceipts(accountId: string, since: number, now: number): Promise<OwnedReceipt[]>;

  createAccount(account: AccountRow): Promise<boolean>;
  getAccount(id: string): Promise<AccountRow | null>;
  /** Replaces the token hash and the wrapped list key; false when the account does not exist. */
  setAccountToken(id: string, tokenHash: Buffer, wrappedListKey: Buffer, now: number): Promise<boolean>;
  /** Deletes the account, its list and its receipts with their secrets. */
  deleteAccount(id: string): Promise<boolean>;

  /**
   * Fixed-window counter: adds 1 to `key` and returns the new count. A key whose window has ended
   * starts again at 1 with a window of `windowMs`.
   */
  hit(key: string, windowMs: number, now: number): Promise<number>;
  /** The current count of a counter, 0 when absent or ended. */
  peekCount(key: string, now: number): Promise<number>;
  clearCount(key: string): Promise<void>;

  /** Creates or replaces an account's web credentials. */
  setCredentials(row: CredentialsRow): Promise<void>;
  getCredentials(accountId: string): Promise<CredentialsRow | null>;
  deleteCredentials(accountId: string): Promise<void>;
  createSession(row: SessionRow): Promise<void>;
  /** A live session; null when unknown or expired. */
  getSession(id: string, now: number): Promise<SessionRow | null>;
  deleteSession(id: string): Promise<void>;
  /** Signs the account out everywhere: deletes all its sessions. */
  deleteSessions(accountId: string): Promise<void>;
  createTicket(row: TicketRow): Promise<void>;
  /** Atomic: returns a live ticket to exactly one caller and deletes it; null otherwise. */
  takeTicket(id: string, now: number): Promise<TicketRow | null>;

  /** Adds a mail to the outbox. */
  enqueueMail(mail: MailRow): Promise<void>;
  /**
   * Atomic claim: the queued mail due soonest (dueAt ≤ now), leased to the caller until
   * now + leaseMs with its attempt count raised by one; null when none is due. Two workers never
   * hold the same mail at once; a mail whose worker dies is claimable again when the lease ends.
   */
  claimMail(now: number, leaseMs: number): Promise<MailRow | null>;
  /**
   * Records a try's outcome. `sent` and `failed` are final and wipe the sealed message; `queued`
   * schedules the next try at `dueAt`. False when the mail no longer exists.
   */
  settleMail(
    id: string,
    outcome: { state: MailState; dueAt?: number; lastError?: string | null },
    now: number,
  ): Promise<boolean>;
  /** The delivery state of the mail about a receipt; null when none was queued. */
  mailStatus(receiptId: string, now: number): Promise<MailStatus | null>;

  /** Deletes every expired row; returns how many. */
  purgeExpired(now: number): Promise<number>;
  ping(): Promise<void>;
  close(): Promise<void>;
}
