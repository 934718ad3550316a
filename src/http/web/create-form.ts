import type { FastifyRequest } from "fastify";
import { AppError, isAppError } from "../../domain/errors.js";
import { isExactMultipartText, MAX_FIELDS, markUnreadable } from "../body.js";

// The create form posted as multipart/form-data: what the page sends when it carries a file (the
// plain form always does, for its file input), and what the page script sends with the browser's
// ciphertext as a binary part. Text fields are read as v1 reads multipart (a field busboy had to
// patch is not stored altered: the form says it could not read it); a file is read into memory up to
// its cap, and past the cap only counted and dropped, so that the form still comes back with what
// was typed and a clear line instead of a reset connection.

/** The plain form's file input. */
export const FILE_FIELD = "file";
/** The page script's ciphertext, as a binary part (web/zk-create.ts). */
export const BLOB_FIELD = "zk_blob";

export interface Upload {
  /** As the browser sent it (the base name); the envelope cleans it. */
  name: string;
  type: string;
  bytes: Buffer;
}

export interface CreateFormLimits {
  /** FILE_MAX_BYTES: a larger file is refused. */
  fileBytes: number;
  /** The largest ciphertext the page script can send for a text and a file within their caps. */
  blobBytes: number;
  /** busboy cuts a field at this size: above the largest valid secret, so a cut one fails its check. */
  fieldBytes: number;
}

/** @fastify/multipart's options for the create form. */
export function multipartOptions(limits: CreateFormLimits) {
  return {
    // A file over its cap is not an error here: the handler says so on the form.
    throwFileSizeLimit: false,
    limits: {
      fields: MAX_FIELDS,
      parts: MAX_FIELDS,
      files: 1,
      fieldSize: limits.fieldBytes,
      // One byte over the larger cap is enough to know a part is too large.
      fileSize: Math.max(limits.fileBytes, limits.blobBytes) + 1,
    },
  };
}

export interface CreateFormBody {
  /** The text fields (and the ciphertext as a Buffer under zk_blob), as `field()` reads them. */
  body: Record<string, unknown>;
  /** The chosen file; null when none was chosen; "too_large" past FILE_MAX_BYTES (not kept). */
  file: Upload | null | "too_large";
  /** The page script's ciphertext was larger than any text and file within their caps. */
  blobTooLarge: boolean;
}

/**
 * Reads the whole multipart body. A body busboy cannot parse (or a second file) is bad_payload: no
 * browser sends one.
 */
export async function readCreateForm(req: FastifyRequest, limits: CreateFormLimits): Promise<CreateFormBody> {
  const body: Record<string, unknown> = Object.create(null);
  let file: Upload | null | "too_large" = null;
  let blobTooLarge = false;
  try {
    for await (const part of req.parts()) {
      if (part.type === "field") {
        const value = part.value;
        if (typeof value !== "string" || !isExactMultipartText(value)) markUnreadable(body);
        else if (!(part.fieldname in body)) body[part.fieldname] = value;
        continue;
      }
      const cap = part.fieldname === BLOB_FIELD ? limits.blobBytes : limits.fileBytes;
      const bytes = await readCapped(part.file, cap);
      if (part.fieldname === BLOB_FIELD) {
        if (bytes === null) blobTooLarge = true;
        else body[BLOB_FIELD] = bytes;
      } else if (part.fieldname === FILE_FIELD && file === null) {
        // An empty file input still sends a part: no name and no bytes.
        if (bytes === null) file = "too_large";
        else if (part.filename !== "" || bytes.length > 0)
          file = { name: unescapeFileName(part.filename), type: part.mimetype, bytes };
      }
    }
  } catch (err) {
    if (isAppError(err)) throw err;
    throw new AppError("bad_payload");
  }
  return { body, file, blobTooLarge };
}

/** The stream's bytes, or null when there are more than `cap` (the rest is read and dropped). */
async function readCapped(stream: AsyncIterable<Buffer> & { truncated?: boolean }, cap: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size <= cap) chunks.push(chunk);
    else chunks.length = 0;
  }
  return size > cap || stream.truncated === true ? null : Buffer.concat(chunks);
}

/**
 * Browsers write a `"` in a file's name as %22 (and a line break as %0A or %0D: the HTML standard's
 * multipart encoding, which leaves "%" itself alone); this undoes it, so a name comes back as it was
 * (control characters are then dropped by the envelope's cleanFileName). A name that really held
 * "%22" is the one it cannot tell apart.
 */
function unescapeFileName(name: string): string {
  return name.replace(/%(22|0A|0D)/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
