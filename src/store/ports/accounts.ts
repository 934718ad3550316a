// Accounts and how they sign in: the account (email, API token hash), its web credentials, its
// browser sessions and the one-time tickets sent by mail. Ids are HMACs; tokens are never stored.

export interface AccountRow {
  id: string;
  email: string;
  /** HMAC(token-key, API token): the token itself is never stored. Null until one is issued. */
  tokenHash: Buffer | null;
  /** The account's list key, sealed under a key derived from the API token. */
  wrappedListKey: Buffer | null;
  createdAt: number;
  updatedAt: number;
  /** When an admin disabled the account: it then signs in nowhere. Null while it may be used. */
  disabledAt: number | null;
}

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
  /**
   * The groups claim of the single sign-on that began the session (OIDC_ADMIN_GROUP is looked up in
   * it). Absent for a password sign-in: an empty list is written and read back as absent.
   */
  groups?: string[];
}

export type TicketPurpose = "verify" | "reset";

/** A one-time link sent by mail (confirm the address, reset the password); id = HMAC of its token. */
export interface TicketRow {
  id: string;
  purpose: TicketPurpose;
  accountId: string;
  expiresAt: number;
}

export interface AccountStore {
  /** False when an account with this id already exists (nothing is changed). */
  create(account: AccountRow): Promise<boolean>;
  get(id: string): Promise<AccountRow | null>;
  /**
   * Replaces the token hash and the wrapped list key; false when the account does not exist. Both
   * null revokes the token: no token authenticates and no stored copy of the list key is left for it.
   */
  setToken(
    id: string,
    tokenHash: Buffer | null,
    wrappedListKey: Buffer | null,
    now: number,
  ): Promise<boolean>;
  /**
   * The id of the account whose current token hash is `tokenHash`, or null: how a token alone
   * (HTTP `Authorization: Bearer`) finds its account. A replaced or revoked token finds nothing.
   */
  accountByToken(tokenHash: Buffer): Promise<string | null>;
  /** Disables the account (a time) or enables it again (null); false when it does not exist. */
  setDisabled(id: string, disabledAt: number | null, now: number): Promise<boolean>;
  /**
   * For the admin pages: accounts whose address contains `search` (lower case; every account when
   * it is ""), in address order, at most `limit`.
   */
  findAccounts(search: string, limit: number): Promise<AccountRow[]>;
  /**
   * Atomic: deletes the account with its credentials, its sessions, its list, and its receipts with
   * their secrets, in one backend operation. False when the account does not exist.
   */
  delete(id: string): Promise<boolean>;

  /** Creates or replaces an account's web credentials. */
  setCredentials(row: CredentialsRow): Promise<void>;
  getCredentials(accountId: string): Promise<CredentialsRow | null>;

  createSession(row: SessionRow): Promise<void>;
  /** A live session; null when unknown or expired. */
  getSession(id: string, now: number): Promise<SessionRow | null>;
  deleteSession(id: string): Promise<void>;
  /** Signs the account out everywhere: deletes all its sessions. */
  deleteSessions(accountId: string): Promise<void>;

  createTicket(row: TicketRow): Promise<void>;
  /** Atomic: returns a live ticket to exactly one caller and deletes it; null otherwise. */
  takeTicket(id: string, now: number): Promise<TicketRow | null>;
  /** Deletes every ticket of the account for this purpose (a reset ends every other reset link). */
  deleteTickets(accountId: string, purpose: TicketPurpose): Promise<void>;
}
