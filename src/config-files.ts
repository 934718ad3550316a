// The files block of loadConfig (config.ts): how large a file one secret may carry, and so how large
// a request that brings one may be (docs/configuration.md#files).

import type { Reader } from "./config-reader.js";

export interface FilesConfig {
  /** FILE_MAX_BYTES: the most bytes a secret's file may have (its text keeps SECRET_MAX_LENGTH). */
  maxBytes: number;
}

/** 5 MiB: a document, a key store or a small archive, and 5 MiB of RAM per live file secret on Redis. */
export const DEFAULT_FILE_MAX_BYTES = 5 * 1024 * 1024;
/**
 * A file is read whole into memory (request body, decoded bytes, envelope, ciphertext) before it is
 * stored: the bound keeps one request's share of a process's memory to a few hundred MiB.
 */
export const FILE_MAX_BYTES_CEILING = 64 * 1024 * 1024;

export function filesConfig(r: Reader): FilesConfig {
  return {
    maxBytes: r.int("FILE_MAX_BYTES", DEFAULT_FILE_MAX_BYTES, { min: 1, max: FILE_MAX_BYTES_CEILING }),
  };
}

/**
 * The body limit of a route that takes a file as base64 in JSON (API v2's conceal): the file's
 * base64 (4 characters per 3 bytes) on top of BODY_LIMIT, which already holds the largest text, and
 * room for the name, the type and a client-encrypted envelope's header. Only such routes get it:
 * every other route keeps BODY_LIMIT.
 */
export function base64FileBodyLimit(bodyLimit: number, files: FilesConfig): number {
  return bodyLimit + Math.ceil(files.maxBytes / 3) * 4 + 4096;
}
