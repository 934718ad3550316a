import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// Webhook signatures in the Standard Webhooks scheme (standardwebhooks.com), so a receiver can use
// any of its libraries or the few lines in docs/webhooks.md:
//   webhook-id         the event's id, stable across retries (a receiver de-duplicates on it)
//   webhook-timestamp  Unix seconds when this attempt was signed
//   webhook-signature  "v1,<base64 HMAC-SHA-256(key, `${id}.${timestamp}.${body}`)>"
// The timestamp is inside the MAC, so a captured delivery cannot be replayed after the receiver's
// tolerance window; the id is inside it, so a body cannot be moved to another event's id.

const PREFIX = "whsec_";
const KEY_BYTES = 32; // 256 bits: as long as the HMAC-SHA-256 output, more than any guessing reach

/** A new endpoint secret, `whsec_` then the base64 of 32 random bytes; shown to its owner once. */
export function newEndpointSecret(): string {
  return PREFIX + randomBytes(KEY_BYTES).toString("base64");
}

/** The HMAC key an endpoint secret stands for, or null when it is not one of ours. */
function secretKey(secret: string): Buffer | null {
  if (!secret.startsWith(PREFIX)) return null;
  const encoded = secret.slice(PREFIX.length);
  // Buffer.from(…, "base64") skips bad characters silently: check the shape first.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, "base64");
  return key.length === KEY_BYTES ? key : null;
}

function mac(key: Buffer, id: string, timestamp: string, body: string): Buffer {
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest();
}

/** The three headers of one delivery attempt. Throws on a secret newEndpointSecret did not make. */
export function signWebhook(
  secret: string,
  id: string,
  timestampSec: number,
  body: string,
): Record<string, string> {
  const key = secretKey(secret);
  if (key === null) throw new Error("not a webhook endpoint secret");
  if (!Number.isSafeInteger(timestampSec) || timestampSec < 0) throw new Error("bad webhook timestamp");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSec),
    "webhook-signature": `v1,${mac(key, id, String(timestampSec), body).toString("base64")}`,
  };
}

/**
 * Whether a delivery is genuine: the three headers (lower-case names, as node:http gives them)
 * present, the timestamp within `toleranceSec` of `nowSec` either way, and one of the
 * space-separated `v1,` signatures the MAC of id, timestamp and the body exactly as received.
 * Several signatures are accepted because a sender rotating its secret signs with both.
 */
export function verifyWebhook(
  secret: string,
  headers: Record<string, string | undefined>,
  body: string,
  nowSec: number,
  toleranceSec = 300,
): boolean {
  const key = secretKey(secret);
  const id = headers["webhook-id"];
  const timestamp = headers["webhook-timestamp"];
  const signatures = headers["webhook-signature"];
  if (key === null || !id || !timestamp || !signatures) return false;
  if (!/^\d{1,15}$/.test(timestamp)) return false;
  if (Math.abs(nowSec - Number(timestamp)) > toleranceSec) return false;
  // The MAC covers the header's text as sent, so a receiver never re-formats the number.
  const expected = mac(key, id, timestamp, body);
  let valid = false;
  for (const entry of signatures.split(" ")) {
    const [version, encoded] = entry.split(",", 2);
    if (version !== "v1" || encoded === undefined) continue;
    const given = Buffer.from(encoded, "base64");
    // timingSafeEqual needs equal lengths; the length of a MAC is public, its bytes are not.
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  return valid;
}
