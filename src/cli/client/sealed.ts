// Zero-knowledge secrets in the terminal: the text is sealed here with src/crypto/zk.ts (the same
// module the page script bundles), the server gets the blob, the reveal proof and the PBKDF2
// parameters, and the key k goes only into the link's fragment. Opening does the reverse: k from the
// fragment (and the passphrase) give the proof the server asks before it hands the blob out. A file
// travels inside the blob with its text, as a content envelope (src/crypto/envelope.ts).

import { decodeEnvelope, encodeEnvelope } from "../../crypto/envelope.js";
import {
  decodeKey,
  encodeKey,
  fromBase64Url,
  KDF_MAX_ITERATIONS,
  newKdf,
  newKey,
  openBytes,
  type Passphrase,
  proofFor,
  sealBytes,
  toBase64Url,
} from "../../crypto/zk.js";
import { ClientError, EXIT, usageError } from "./errors.js";
import type { Sealed, SealedKdf, SecretContent } from "./types.js";

/** The format version of src/crypto/zk.ts: a server advertising it takes what this client seals. */
export const CLIENT_ENCRYPTION = 1;

/**
 * Seals a text, and the file beside it when there is one (behind `passphrase` when given): what to
 * send, and the fragment for the link. A text alone is sealed as its UTF-8, as before files.
 */
export async function sealContent(
  { text, file }: SecretContent,
  passphrase: string | undefined,
): Promise<{ sealed: Sealed; fragment: string }> {
  const k = newKey();
  const kdf = passphrase === undefined ? null : newKdf();
  const plaintext = file === null ? new TextEncoder().encode(text) : encodeEnvelope({ text, file });
  const { blob, proof } = await sealBytes(plaintext, k, {
    passphrase: kdf === null ? undefined : { ...kdf, passphrase: passphrase ?? "" },
    file: file !== null,
  });
  return {
    sealed: {
      ciphertext: toBase64Url(blob),
      proof: toBase64Url(proof),
      kdf: kdf === null ? null : { salt: toBase64Url(kdf.salt), iterations: kdf.iterations },
      hasFile: file !== null,
    },
    fragment: encodeKey(k),
  };
}

/** What opening a client secret needs: k from the link, and the passphrase's parameters. */
export interface Opener {
  k: Uint8Array;
  passphrase: Passphrase | undefined;
}

/** The link's k, checked before anything is asked of the server; a usage error when absent or malformed. */
export function keyOf(fragment: string | null): Uint8Array {
  if (fragment === null) {
    throw usageError(
      "this secret was encrypted by its sender and the link has no key after its '#': " +
        "ask for the whole link (nothing was consumed)",
    );
  }
  try {
    return decodeKey(fragment);
  } catch {
    throw usageError(
      "the key after the link's '#' is damaged (43 base64url characters expected): nothing was consumed",
    );
  }
}

/** The passphrase's PBKDF2 parameters as the look gave them; refused when a server hands out odd ones. */
export function opener(k: Uint8Array, kdf: SealedKdf | null, passphrase: string | undefined): Opener {
  if (kdf === null) return { k, passphrase: undefined };
  let salt: Uint8Array;
  try {
    salt = fromBase64Url(kdf.salt);
  } catch {
    salt = new Uint8Array(0);
  }
  if (
    salt.length !== 16 ||
    !Number.isInteger(kdf.iterations) ||
    kdf.iterations < 1 ||
    kdf.iterations > KDF_MAX_ITERATIONS
  ) {
    throw new ClientError(EXIT.unavailable, "the server gave passphrase parameters this client refuses");
  }
  return { k, passphrase: { passphrase: passphrase ?? "", salt, iterations: kdf.iterations } };
}

export async function proofOf({ k, passphrase }: Opener): Promise<string> {
  return toBase64Url(await proofFor(k, passphrase));
}

/**
 * The text (and file) of the blob the server handed out (base64url); `hasFile` is what the look said,
 * and the blob's associated data must agree.
 */
export async function openBlob(
  ciphertext: string,
  { k, passphrase }: Opener,
  hasFile: boolean,
): Promise<SecretContent> {
  let plain: Uint8Array;
  try {
    plain = await openBytes(fromBase64Url(ciphertext), k, { passphrase, file: hasFile });
  } catch {
    // The server took the proof, so k was right: the blob it gave back is not the one stored (or
    // the server said "file" of a text, or the reverse).
    throw new ClientError(EXIT.unavailable, "the server's blob does not open with this link's key");
  }
  try {
    if (!hasFile) return { text: TEXT.decode(plain), file: null };
    return decodeEnvelope(plain);
  } catch {
    throw new ClientError(EXIT.unavailable, "the secret opened but its content is malformed");
  }
}

// fatal: a blob that is not UTF-8 is refused; ignoreBOM: a text that starts with U+FEFF keeps it.
const TEXT = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
