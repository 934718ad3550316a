import { fromBase64Url } from "../../crypto/zk.js";
import type { ClientSecretInput } from "../../domain/client-secret.js";
import { field } from "./context.js";

// The fields the page script posts when it encrypted the secret in the browser (web/zk-create.ts):
// the ciphertext, the reveal proof and the passphrase's PBKDF2 parameters (base64url, the ciphertext
// also as bytes), and zk_file=1 when the ciphertext seals a text with a file. The create action checks their sizes and bounds (domain/client-secret.ts).

/** Thrown for fields that are present but cannot be read: the form says it could not read them. */
export class UnreadableClientFields extends Error {}

function bytes(value: string): Uint8Array {
  try {
    return fromBase64Url(value);
  } catch {
    throw new UnreadableClientFields("a zk_* field is not base64url");
  }
}

/**
 * The client secret a create form carries, or null for a form the server is to encrypt. The page
 * script posts the ciphertext as a binary part (read as a Buffer, create-form.ts); a url-encoded
 * form may carry it in base64url.
 */
export function clientSecretOf(body: unknown): ClientSecretInput | null {
  const binary = (body as Record<string, unknown> | null | undefined)?.zk_blob;
  const blob = binary instanceof Uint8Array ? binary : field(body, "zk_blob");
  if (blob === "") return null;
  const salt = field(body, "zk_salt");
  const iterations = field(body, "zk_iterations");
  if (salt !== "" && !/^[0-9]{1,9}$/.test(iterations)) throw new UnreadableClientFields("zk_iterations");
  return {
    blob: typeof blob === "string" ? bytes(blob) : blob,
    proof: bytes(field(body, "zk_proof")),
    kdf: salt === "" ? null : { salt: bytes(salt), iterations: Number(iterations) },
    // The blob holds a content envelope (docs/zero-knowledge.md#files-the-content-envelope).
    hasFile: field(body, "zk_file") === "1",
  };
}

/** The reveal proof the page script posts, or null when the form carries none (no JavaScript). */
export function revealProofOf(body: unknown): Uint8Array | null {
  const proof = field(body, "zk_proof");
  return proof === "" ? null : bytes(proof);
}
