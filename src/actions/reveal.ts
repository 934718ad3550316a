import { decodeEnvelope } from "../crypto/envelope.js";
import { isWellFormedKey } from "../crypto/ids.js";
import type { Vault } from "../crypto/vault.js";
import type { ClientKdf, Encryption } from "../domain/client-secret.js";
import { AppError } from "../domain/errors.js";
import type { SecretHeader, SecretRow } from "../store/types.js";
import { checked } from "./attempts.js";
import type { Caller, Deps } from "./deps.js";
import { hashed } from "./hashing.js";
import { locateSecret } from "./keyring.js";
import { reservePassphrase } from "./lockouts.js";
import { notifyRead } from "./notices.js";
import { clientKey, limit } from "./rate-limit.js";

export interface RevealInput {
  secretKey: string;
  passphrase?: string;
  /** A client secret's reveal proof (src/crypto/zk.ts proofFor); ignored for a server secret. */
  proof?: Uint8Array;
  /**
   * The surface cannot hand out a file (API v1, whose clients know nothing of files): a secret that
   * holds one is refused before anything is consumed.
   */
  textOnly?: boolean;
}

/** A server secret's file, as the reader gets it back. */
export interface RevealedFile {
  /** Cleaned when the secret was made (src/crypto/envelope.ts cleanFileName). */
  name: string;
  /** A lowercased `type/subtype` (cleanMediaType); what a surface serves it as is its own choice. */
  type: string;
  bytes: Buffer;
}

export interface Revealed {
  /** The text of a server secret ("" beside a file sent alone); "" for a client secret. */
  value: string;
  /** A server secret's file; null without one, and for a client secret (its file is in its blob). */
  file: RevealedFile | null;
  /** The secret carries a file: for a client secret, its blob's plaintext is a content envelope. */
  hasFile: boolean;
  /** The sender's sealed blob of a client secret (opened by the reader with the link's key); else null. */
  blob: Buffer | null;
  encryption: Encryption;
  /** A client secret's passphrase parameters (null: none, or a server secret). */
  kdf: ClientKdf | null;
  secretKey: string;
  shareDomain: string;
  /** What the secret was (API v2 describes it beside the value); Unix ms. */
  hasPassphrase: boolean;
  createdAt: number;
  expiresAt: number;
  /** The views left after this one: 0 when this reveal was the last and the secret is gone. */
  viewsLeft: number;
}

/**
 * Reveal: the plaintext (or a client secret's blob) to exactly one caller per view the secret allows.
 * Order matters: every check that can fail (key, passphrase or reveal proof, our own SECRET) runs
 * against the verifier *before* the atomic take, so a failed reveal consumes no view; after the take
 * only the decryption remains. Each reveal checks again: a passphrase is asked on every view.
 */
export async function reveal(deps: Deps, caller: Caller, input: RevealInput): Promise<Revealed> {
  // READ_POLICY=signed-in: asked before anything is counted or spent.
  if (deps.config.access.read === "signed-in" && caller.account === null) {
    throw new AppError("signin_to_read", { key: input.secretKey });
  }
  await limit(deps, caller, "reveal");
  const unknown = new AppError("unknown_secret", { key: input.secretKey });
  if (!isWellFormedKey(input.secretKey)) throw unknown;

  const found = await locateSecret(deps, input.secretKey);
  if (found === null) throw unknown;
  const { vault, header } = found;
  const id = header.id;
  const client = header.client !== null;
  // A client secret is handed out only against its proof: a surface that cannot make one (v1, a
  // page without its script, a link cut before its #key) gets this, and nothing is consumed.
  if (client && input.proof === undefined) throw new AppError("client_encrypted", { key: input.secretKey });
  if (header.hasFile && input.textOnly === true) throw new AppError("holds_file", { key: input.secretKey });
  const unlock = async () =>
    client
      ? vault.unlockClientSecret(header, input.secretKey, input.proof ?? new Uint8Array(0))
      : vault.unlockSecret(header, input.secretKey, input.passphrase);
  let contentKey: Buffer | null;
  let row: Awaited<ReturnType<typeof deps.store.secrets.take>>;
  if (!guarded(header)) {
    contentKey = await unlock();
    if (contentKey === null) throw unknown;
    row = await deps.store.secrets.take(id, deps.now());
  } else {
    // A guess that waited for others to end first looks again: the secret may have been read.
    const attempt = await reservePassphrase(deps, caller, id, "reveal", async () => {
      if ((await deps.store.secrets.peek(id, deps.now())) === null) throw unknown;
    });
    // A proof costs one HMAC; only a passphrase (argon2) waits in the hash queue.
    contentKey = await checked(attempt, () =>
      client ? unlock() : hashed(deps, clientKey(deps, caller), unlock),
    );
    if (contentKey === null) {
      await attempt.failed();
      // Wrong or missing passphrase, or a wrong proof (wrong key or passphrase on the client):
      // nothing consumed. v1 answers it like an unknown secret; the web page redraws its form, saying
      // the views left (none was spent).
      throw new AppError("wrong_passphrase", { key: input.secretKey, viewsLeft: header.viewsLeft });
    }
    // The place is given back after the take, so the guesses waiting behind see the secret gone.
    row = await checked(attempt, () => deps.store.secrets.take(id, deps.now()));
    await attempt.release();
  }
  if (row === null) throw unknown; // another reader won the race
  deps.metrics?.revealed();
  deps.daily.count("read", deps.now());
  // This take is this read's one winner: its notice is queued here, once.
  if (row.notifyRead) await notifyRead(deps, row.receiptId, deps.now());
  const blob = client ? vault.openClientSecret(contentKey, row) : null;
  const content = client ? { text: "", file: null } : serverContent(vault, contentKey, row);
  if (content === null || (client && blob === null)) throw new Error("verified secret failed to decrypt");
  return {
    value: content.text,
    file: content.file,
    hasFile: row.hasFile,
    blob,
    encryption: client ? "client" : "server",
    kdf: row.client?.kdf ?? null,
    secretKey: input.secretKey,
    shareDomain: row.shareDomain,
    hasPassphrase: row.passphraseSalt !== null || row.client?.kdf != null,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    viewsLeft: row.viewsLeft,
  };
}

/**
 * Checks that go through the passphrase lock-outs: a passphrase, and every client secret's proof
 * (a wrong proof is a wrong key or a wrong passphrase typed on the client; both are counted).
 */
function guarded(header: SecretHeader): boolean {
  return header.passphraseSalt !== null || header.client !== null;
}

/**
 * A server secret's text and file: bare UTF-8, or the content envelope this server made (so a
 * malformed one is a bug, thrown as such after the take). Null when it does not decrypt.
 */
function serverContent(
  vault: Vault,
  contentKey: Buffer,
  row: SecretRow,
): { text: string; file: RevealedFile | null } | null {
  if (!row.hasFile) {
    const text = vault.openSecret(contentKey, row);
    return text === null ? null : { text, file: null };
  }
  const plain = vault.openSecretBytes(contentKey, row);
  if (plain === null) return null;
  const { text, file } = decodeEnvelope(plain);
  const bytes = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength);
  return { text, file: { name: file.name, type: file.type, bytes } };
}
