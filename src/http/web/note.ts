import { open, seal } from "../../crypto/aead.js";

// A generated password has to reach the receipt page across the create form's redirect
// (POST → 303 → GET) without being stored anywhere on the server. It travels in a short-lived
// HttpOnly cookie, sealed with AES-256-GCM under a web key and bound (AAD) to the receipt's metadata
// key, so the note opens only on that receipt's page; the page drops it after showing it once.

export function sealNote(key: Buffer, metadataKey: string, value: string): string {
  return seal(key, Buffer.from(value, "utf8"), `note:${metadataKey}`).toString("base64url");
}

/** The note's value, or null when it was made for another receipt, altered or under another key. */
export function openNote(key: Buffer, metadataKey: string, sealed: string): string | null {
  return open(key, Buffer.from(sealed, "base64url"), `note:${metadataKey}`)?.toString("utf8") ?? null;
}
