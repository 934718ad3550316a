// The content envelope: how one secret carries a text and a file together, as one byte string that
// is then encrypted whole (by the server's vault, or by src/crypto/zk.ts on the sender's machine), so
// the file's name, media type and size are as secret as its bytes. Uint8Array only, no import and no
// node:* module: the page script, the terminal client and the server use this same file.
//
//   0x01 (version) ‖ u32be textLen ‖ text UTF-8 ‖ u16be nameLen ‖ name UTF-8 ‖ u8 typeLen ‖ type ASCII
//   ‖ the file's bytes (the rest)
//
// A secret without a file is not an envelope: its plaintext stays the bare UTF-8 text, so every
// secret made before files existed reads as it always did. The store's `hasFile` flag (and, for a
// client-encrypted secret, bit 0x02 of the AAD's flags) says which of the two a plaintext is.

export const ENVELOPE_VERSION = 1;
/** A file's name, at most, in UTF-8 bytes (what most file systems take). */
export const NAME_MAX_BYTES = 255;
/** A media type, at most, in characters (RFC 6838 allows 127). */
export const TYPE_MAX_CHARS = 127;
/** The name given to a file whose name cleans away to nothing. */
export const DEFAULT_NAME = "file";
export const DEFAULT_TYPE = "application/octet-stream";
/** The most an envelope adds to its text and file bytes: version, three lengths, the longest name and type. */
export const ENVELOPE_MAX_OVERHEAD = 1 + 4 + 2 + NAME_MAX_BYTES + 1 + TYPE_MAX_CHARS;

export interface FileContent {
  name: string;
  type: string;
  bytes: Uint8Array;
}

export interface Envelope {
  text: string;
  file: FileContent;
}

/** A byte string that is not a version 1 envelope, or one whose name or type was not cleaned. */
export class EnvelopeError extends Error {
  constructor(reason: string) {
    super(`malformed content envelope: ${reason}`);
    this.name = "EnvelopeError";
  }
}

const encoder = new TextEncoder();
// fatal: a byte string that is not UTF-8 is refused, never patched; ignoreBOM: a text that starts
// with U+FEFF comes back with it.
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

// Control characters (C0, DEL, C1) and the bidirectional controls (a name like "invoice\u202Efdp.exe"
// would otherwise show as "invoiceexe.pdf").
const UNSAFE = /[\p{Cc}\p{Bidi_Control}]/gu;

/**
 * A file name safe to show and to save: the last path segment only (no "/" or "\"), without control
 * or direction-override characters or surrounding spaces, at most 255 UTF-8 bytes (cut whole
 * characters, keeping a short extension), never empty, ".", or "..".
 */
export function cleanFileName(name: string): string {
  // Through UTF-8 and back: a lone surrogate becomes U+FFFD, so the name always encodes.
  const whole = new TextDecoder().decode(encoder.encode(name));
  const base = whole.split(/[/\\]/).pop() ?? "";
  let clean = base.replace(UNSAFE, "").trim();
  if (encoder.encode(clean).length > NAME_MAX_BYTES) clean = shorten(clean);
  return clean === "" || clean === "." || clean === ".." ? DEFAULT_NAME : clean;
}

function shorten(name: string): string {
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : "";
  const room = NAME_MAX_BYTES - encoder.encode(ext).length;
  let stem = "";
  let used = 0;
  for (const ch of name.slice(0, name.length - ext.length)) {
    const n = encoder.encode(ch).length;
    if (used + n > room) break;
    stem += ch;
    used += n;
  }
  return (stem + ext).trim();
}

// RFC 6838's restricted names: letters, digits and !#$&^_.+- (the first a letter or digit).
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** `type/subtype` lowercased, without parameters; anything else is application/octet-stream. */
export function cleanMediaType(type: string): string {
  const bare = (type.split(";")[0] ?? "").trim().toLowerCase();
  return bare.length <= TYPE_MAX_CHARS && MEDIA_TYPE.test(bare) ? bare : DEFAULT_TYPE;
}

/** The envelope of a text and a file; the name and type are cleaned first. */
export function encodeEnvelope({ text, file }: Envelope): Uint8Array {
  const textBytes = encoder.encode(text);
  const name = encoder.encode(cleanFileName(file.name));
  const type = encoder.encode(cleanMediaType(file.type));
  const head = 1 + 4 + textBytes.length + 2 + name.length + 1 + type.length;
  const out = new Uint8Array(head + file.bytes.length);
  const view = new DataView(out.buffer);
  let at = 0;
  out[at++] = ENVELOPE_VERSION;
  view.setUint32(at, textBytes.length, false);
  at += 4;
  out.set(textBytes, at);
  at += textBytes.length;
  view.setUint16(at, name.length, false);
  at += 2;
  out.set(name, at);
  at += name.length;
  out[at++] = type.length;
  out.set(type, at);
  out.set(file.bytes, head);
  return out;
}

/**
 * The text and file of an envelope; throws EnvelopeError on anything encodeEnvelope cannot have
 * written (another version, lengths past the end, bad UTF-8, a name or type that was not cleaned: a
 * client-encrypted envelope comes from a sender the server never checked). The file's bytes are a
 * view into `data`, not a copy.
 */
export function decodeEnvelope(data: Uint8Array): Envelope {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  const need = (n: number, what: string) => {
    if (at + n > data.length) throw new EnvelopeError(`${what} runs past the end`);
  };
  need(1, "version");
  if (data[at++] !== ENVELOPE_VERSION) throw new EnvelopeError("unknown version");
  need(4, "text length");
  const textLength = view.getUint32(at, false);
  at += 4;
  need(textLength, "text");
  const text = utf8(data.subarray(at, at + textLength), "text");
  at += textLength;
  need(2, "name length");
  const nameLength = view.getUint16(at, false);
  at += 2;
  if (nameLength > NAME_MAX_BYTES) throw new EnvelopeError("name too long");
  need(nameLength, "name");
  const name = utf8(data.subarray(at, at + nameLength), "name");
  at += nameLength;
  if (name !== cleanFileName(name)) throw new EnvelopeError("name not clean");
  need(1, "type length");
  const typeLength = data[at++] ?? 0;
  need(typeLength, "type");
  const type = utf8(data.subarray(at, at + typeLength), "type");
  at += typeLength;
  if (type !== cleanMediaType(type)) throw new EnvelopeError("type not clean");
  return { text, file: { name, type, bytes: data.subarray(at) } };
}

function utf8(bytes: Uint8Array, what: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new EnvelopeError(`${what} is not UTF-8`);
  }
}
