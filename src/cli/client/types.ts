// The one interface the commands use, whichever API version the server speaks (v1.ts, v2.ts), and
// the records it returns, in one shape for both. `raw` is the server's own answer, for --json.

export type ApiVersion = "v1" | "v2";

export interface Credentials {
  /** The account's email (ONETIME_USER); v2 also accepts the token alone. */
  user?: string | undefined;
  /** The API token (ONETIME_TOKEN, from the environment only). */
  token?: string | undefined;
}

/** A secret sealed by this client (src/crypto/zk.ts), as API v2's extension takes it: base64url. */
export interface Sealed {
  ciphertext: string;
  proof: string;
  kdf: SealedKdf | null;
  /** The blob holds a content envelope: a text and a file (API v2's `has_file`). */
  hasFile: boolean;
}

/** A file as this client sends it or gets it back. */
export interface FileData {
  name: string;
  type: string;
  bytes: Uint8Array;
}

/** What a reveal gives: the text ("" beside a file sent alone) and the file, when there is one. */
export interface SecretContent {
  text: string;
  file: FileData | null;
}

export interface SealedKdf {
  salt: string;
  iterations: number;
}

export interface ShareInput {
  /** The text to share; absent (and no `sealed`): the server generates a password. */
  secret?: string;
  /** A client-encrypted secret instead of `secret` (API v2 with client_encryption only). */
  sealed?: Sealed;
  /** A file beside `secret`, for the server to encrypt (API v2 with file_max_bytes only). */
  file?: FileData;
  /** Seconds. */
  ttl?: number;
  /** How many times the link may be opened (API v2 only; v1 shares are read once). */
  views?: number;
  /** Mail the creator of each read, a burn or an expiry unread (API v2, an account; onetime's own). */
  notify?: boolean;
  passphrase?: string;
  recipients: string[];
  /** The host the link names (API v2 `share_domain`): one the server lists, or it refuses. */
  shareDomain?: string;
}

/** The creator's record of a secret (v1: the metadata object; v2: the receipt record). */
export interface Receipt {
  key: string;
  /** The secret's key while it can be read; null once read, burned or expired (and in lists). */
  secretKey: string | null;
  state: string;
  hasPassphrase: boolean | null;
  /** "client" (zero-knowledge) or "server"; null when the server does not say (v1, other servers). */
  encryption: string | null;
  /** Seconds the secret has left, when known. */
  secretTtl: number | null;
  /** Seconds this record has left, when known. */
  receiptTtl: number | null;
  /** Epoch seconds. */
  created: number | null;
  /** When the secret was read (v1 `received`, v2 `revealed`). */
  revealed: number | null;
  burned: number | null;
  /** How many times the link may be opened, and was; null when the server does not say (v1). */
  views: number | null;
  viewsUsed: number | null;
  viewsLeft: number | null;
  /** When each view was read (epoch seconds), oldest first; [] when none or not said. */
  readTimes: number[];
  recipients: string[];
  owner: string | null;
  /** The link to give out, while the secret is live. */
  shareUrl: string | null;
  receiptUrl: string;
}

export interface Created {
  receipt: Receipt;
  shareUrl: string;
  receiptUrl: string;
  /** The generated password, shown this once. */
  password: string | null;
  raw: unknown;
}

export interface Answer<T> {
  value: T;
  raw: unknown;
}

/** What the non-consuming look tells: how to reveal the secret. */
export interface Look {
  hasPassphrase: boolean;
  encryption: "client" | "server";
  /** A client secret's PBKDF2 parameters, when it has a passphrase. */
  kdf: SealedKdf | null;
  /** The secret carries a file (`has_file`; false from a server that does not say). */
  hasFile: boolean;
}

export interface ServerStatus {
  status: string;
  locale: string | null;
  clientEncryption: number | null;
  fileMaxBytes: number | null;
}

export interface Api {
  readonly version: ApiVersion;
  readonly server: string;
  /**
   * `clientEncryption`: the zero-knowledge format version the server takes, null when none;
   * `fileMaxBytes`: the largest file it takes, null when it takes none.
   */
  status(): Promise<Answer<ServerStatus>>;
  share(input: ShareInput): Promise<Created>;
  /** Whether the secret asks for a passphrase, without consuming it; null: this API cannot tell. */
  look(key: string): Promise<Answer<Look> | null>;
  reveal(key: string, passphrase?: string): Promise<Answer<SecretContent>>;
  /** A client secret: the reveal proof (base64url) in, the blob (base64url) out. */
  revealSealed(key: string, proof: string): Promise<Answer<string>>;
  receipt(key: string): Promise<Answer<Receipt>>;
  burn(key: string, passphrase?: string): Promise<Answer<Receipt>>;
  recent(): Promise<Answer<Receipt[]>>;
}
